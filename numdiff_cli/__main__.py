"""Entry point for ``python -m numdiff_cli``."""

from numdiff_cli.entry import main

main()

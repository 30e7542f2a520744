"""The ``numdiff`` command line: options -> core calls -> rendering.

This module imports neither sympy nor numpy at load time, so ``--help``, ``--version`` and
shell completion start fast; each command imports the core when it runs. It is the one
place where a :class:`NumdiffError` (or a click usage error) becomes a sentence on stderr
and an exit code.
"""

# No ``from __future__ import annotations`` here: typer reads every command's annotations
# at each start, and as strings each would cost an eval (about 7 ms in all).

import gc
import math
import sys
from enum import Enum
from typing import Annotated, Any

import typer

from numdiff_cli import __version__, lecture, output
from numdiff_cli.command_line import ExpressionCommand, NumdiffGroup, Settings
from numdiff_cli.errors import MathError, UsageError
from numdiff_cli.results.derivation import DEFAULT_DEPTH

TIMEOUT = 10.0  # seconds a command may take unless --timeout says otherwise
UNTIMED = {"repl", "tour"}  # they wait for a person; the prompt applies --timeout to each command it runs

FUNCTIONS_HELP = (
    "Expressions: + - * / ^ (or **), implicit products (2x, 3x^2, sin(x)e^x), pi, E (or e). "
    "Functions: sin cos tan cot sec csc, asin acos atan acot asec acsc (also arcsin ...), atan2, "
    "sinh cosh tanh coth sech csch, asinh acosh atanh acoth asech acsch, exp, log (ln; log(x, base)), "
    "log10 log2, sqrt cbrt root(x, n), abs sign floor ceiling (ceil) heaviside max min, "
    "erf erfc gamma factorial sinc, sigmoid relu softplus. Any other name is a variable."
)


def _count(text: str | int) -> int:
    """A count as typed, also in e-notation (``--steps 1e6``); refused unless a whole number. typer
    passes an option's default through too: an int, as it is."""
    from numdiff_cli import i18n

    if isinstance(text, int):
        return text
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value.is_integer()):
        raise typer.BadParameter(i18n.Message("{text!r} is not a whole number", text=text))
    return int(text) if text.strip().lstrip("+-").isdigit() else int(value)  # 10^20 typed in digits stays exact


class Method(str, Enum):
    """The numerical methods (the registry in methods.py; a test keeps the two in step)."""

    forward = "forward"
    backward = "backward"
    central = "central"
    five_point = "five-point"
    richardson = "richardson"
    complex_step = "complex-step"


class Language(str, Enum):
    en = "en"
    ko = "ko"


class Dtype(str, Enum):
    float64 = "float64"
    float32 = "float32"


app = typer.Typer(
    name="numdiff",
    cls=NumdiffGroup,
    help="See analytic and numerical derivatives side by side, with their errors.\n\n"
    "Exit codes: 0 success; 1 the maths failed (undefined at the point, no derivative, "
    "overflow), or check found the claim or code wrong; 2 usage error (bad option or expression); "
    "130 interrupted.",
    epilog=FUNCTIONS_HELP,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

JsonFlag = Annotated[bool, typer.Option("--json", help="Print the result as JSON (keys documented in the README).")]
CsvFlag = Annotated[bool, typer.Option("--csv", help="Print the result as CSV, one row per value.")]
PlotOption = Annotated[
    str | None,
    typer.Option(
        "--plot",
        metavar="FILE|term",
        help="Draw the result: 'term' in the terminal, or a .png, .svg or .pdf file (an animated .gif for "
        "diff's tangent and secants); needs pip install 'numdiff-cli[plot]'.",
    ),
]
DerivationFlag = Annotated[
    bool, typer.Option("--derivation", help="Show how the derivative is found, rule by rule, as a tree.")
]
DepthOption = Annotated[
    int | None,
    typer.Option("--depth", help=f"Levels of the --derivation tree shown before it folds (default {DEFAULT_DEPTH}; --json has all).",
                 min=1),
]
class ExportFormat(str, Enum):
    markdown = "markdown"
    latex = "latex"


FormatOption = Annotated[
    ExportFormat | None,
    typer.Option("--format", help="Print the table ready to paste: a Markdown pipe table or a LaTeX tabular, "
                 "under the formula."),
]
LatexFlag = Annotated[bool, typer.Option("--latex", help="Print only the derivative, as LaTeX math.")]
StepOption = Annotated[
    str | None,
    typer.Option(
        "--h",
        help="The step h (default 1e-4 for first derivatives, as in the lecture), "
        "or 'auto' for the step that balances truncation and rounding error.",
    ),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"numdiff {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def _root(
    context: typer.Context,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show the Python traceback of an error.")] = False,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout", help="Seconds the whole command may take, with its output (0: no limit); also after the "
            "command.", min=0,
        ),
    ] = TIMEOUT,
    lang: Annotated[
        Language | None,
        typer.Option(
            "--lang",
            help="The language of tables and messages, also after the command: en or ko (default: the locale's "
            "where numdiff speaks it, else English). JSON and CSV are the same in every language.",
        ),
    ] = None,
) -> None:
    """Global options; the help text is the app's. Plain ``numdiff`` opens the prompt, or shows
    the help where only its output is redirected (``numdiff | less``)."""
    from numdiff_cli import i18n

    Settings.debug = debug
    i18n.use(lang and lang.value)
    if math.isnan(timeout):
        raise UsageError("--timeout must be a number of seconds, not nan")
    Settings.timeout = timeout
    if context.invoked_subcommand is None:
        if sys.stdin is not None and sys.stdin.isatty() and not (sys.stdout and sys.stdout.isatty()):
            typer.echo(context.get_help())
            raise typer.Exit()
        from numdiff_cli import repl

        raise typer.Exit(repl.run(timeout=timeout, debug=debug, lang=lang and lang.value, plain=True))
    if timeout and context.invoked_subcommand not in UNTIMED:
        from numdiff_cli.timeout import time_limit

        context.with_resource(time_limit(timeout, "the command", budget=True))


@app.command(cls=ExpressionCommand, epilog=FUNCTIONS_HELP)
def diff(
    expression: Annotated[str, typer.Argument(help="The function, e.g. \"x**2\", \"3x^2 + 2x\", \"sin(x)e^x\".")],
    at: Annotated[
        list[str] | None,
        typer.Option(
            "--at",
            help="The point: a number or constant (3, -1e-3, pi/4); with several variables "
            "x=2,y=3 or 2,3 in variable order. Repeat for several points. Required, except that "
            "--derivation without it shows the derivation alone.",
        ),
    ] = None,
    wrt: Annotated[
        str | None, typer.Option("--wrt", help="The variable to differentiate by (needed with several).")
    ] = None,
    order: Annotated[int, typer.Option("--order", "-n", help="Which derivative: 1 to 6.")] = 1,
    method: Annotated[
        list[Method] | None,
        typer.Option("--method", "-m", help="A numerical method to show (repeat for several; default: all)."),
    ] = None,
    h: StepOption = None,
    sweep: Annotated[
        bool,
        typer.Option("--sweep", help="Show the error against h = 1e-1 .. 1e-16 and 1e-50, and why it has that shape."),
    ] = False,
    dtype: Annotated[
        Dtype, typer.Option("--dtype", help="Evaluate in double (float64) or single (float32) precision.")
    ] = Dtype.float64,
    precision: Annotated[
        int | None,
        typer.Option(
            "--precision", help="Compute the fixed-step methods with this many decimal digits (mpmath), 15 to 1000."
        ),
    ] = None,
    plot: PlotOption = None,
    derivation: DerivationFlag = False,
    depth: DepthOption = None,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain",
            help="Show the arithmetic of each --method (default central): the stencil, the points and values, "
            "the digits each subtraction cancels, the division, and why the error is what it is.",
        ),
    ] = False,
    json_out: JsonFlag = False,
    csv_out: CsvFlag = False,
    export: FormatOption = None,
    latex: LatexFlag = False,
) -> None:
    """Differentiate EXPRESSION at a point: the exact value beside each numerical method.

    Shows the derivative, its exact value, and for each method the step h, the numeric
    value, its absolute and relative error, the correct digits and the method's own error
    estimate; the best row is marked.
    """
    from numdiff_cli import api

    stdout_format = _one_format(json_out, csv_out, export, latex)
    depth = _tree_format(derivation, depth, csv_out)
    if latex:
        if explain or sweep or derivation or plot is not None:
            raise UsageError("--latex prints only the derivative; it takes no --explain, --sweep, --derivation or --plot")
        output.emit(None, json_out=False, csv_out=False, text="\n".join(api.latex(expression, wrt=wrt, order=order)) + "\n")
        return
    formulas = lambda: api.latex(expression, wrt=wrt, order=order)  # noqa: E731
    for other, name in ((sweep, "--sweep"), (plot is not None, "--plot"), (explain, "--explain")):
        if derivation and other:
            raise UsageError("choose one of --derivation and {option}", option=name)
    if derivation and not at:  # the derivation alone
        if method or h is not None or precision is not None or dtype != Dtype.float64:
            raise UsageError("--method, --h, --precision and --dtype need a point: give it with --at")
        result = api.derivation(expression, wrt=wrt, order=order, depth=depth)
        return _finish(result, json_out=json_out, csv_out=False, text=export and _exported(result, export, formulas))
    target = _plot_target(plot, stdout_format, animated=not sweep)
    picture = None  # what --plot draws where it is more than the result
    if explain:
        if sweep or precision is not None or csv_out or export or target:
            raise UsageError("--explain shows double-precision arithmetic as a table or --json; it takes no --sweep, "
                             "--precision, --csv, --format or --plot")
        result = api.explain(expression, at, wrt=wrt, order=order, methods=[m.value for m in method] if method else None,
                             h=_step(h), dtype=dtype.value)
    elif sweep:
        if at is None or len(at) != 1 or method or h is not None or precision is not None:
            raise UsageError("--sweep takes one --at point and no --method, --h or --precision")
        result = api.sweep(expression, at[0], wrt=wrt, order=order, dtype=dtype.value)
    else:
        options = dict(
            wrt=wrt, methods=[m.value for m in method] if method else None, h=_step(h), dtype=dtype.value,
            precision=precision,
        )
        if target is None:
            result = api.diff(expression, at, order=order, derivation=derivation, depth=depth, **options)
        else:
            if at is None or len(at) != 1 or order != 1:
                raise UsageError("--plot draws the tangent and secants of a first derivative at one --at point "
                                 "(for other orders, the error against h: --sweep --plot)")
            picture = api.secants(expression, at[0], animated=target.animated, **options)
            result = picture.diff
    _finish(result, json_out=json_out, csv_out=csv_out, plot=target, picture=picture,
            text=export and _exported(result, export, formulas))


@app.command(cls=ExpressionCommand, epilog=FUNCTIONS_HELP)
def grad(
    expression: Annotated[
        str,
        typer.Argument(help="The function, e.g. \"x0**2+x1**2\"; several separated by commas give the Jacobian."),
    ],
    at: Annotated[
        str | None,
        typer.Option("--at", help="The point: values in variable order (3,4) or by name (x1=4,x0=3)."),
    ] = None,
    wrt: Annotated[
        str | None, typer.Option("--wrt", help="Only these variables, comma-separated (default: all).")
    ] = None,
    hessian: Annotated[
        bool, typer.Option("--hessian", help="Also the Hessian, its eigenvalues and the kind of critical point.")
    ] = False,
    method: Annotated[
        Method | None,
        typer.Option(
            "--method",
            "-m",
            help="The numerical method for the partials and the Hessian (default: central for the "
            "partials, as in the lecture, and richardson, the most accurate, for the Hessian).",
        ),
    ] = None,
    h: StepOption = None,
    plot: PlotOption = None,
    box: Annotated[
        str | None,
        typer.Option(
            "--range",
            metavar="LO:HI|XLO:XHI,YLO:YHI",
            help="The box --plot draws, for both variables or each (default: a square around the point "
            "that holds the origin).",
        ),
    ] = None,
    derivation: DerivationFlag = False,
    depth: DepthOption = None,
    json_out: JsonFlag = False,
    csv_out: CsvFlag = False,
    export: FormatOption = None,
    latex: Annotated[bool, typer.Option("--latex", help="Print only the partial derivatives, as LaTeX math.")] = False,
) -> None:
    """The gradient of EXPRESSION at a point: each partial derivative exact and numeric.

    Under the partials: the gradient vector (exact and numerical), its norm and the
    direction of steepest descent. Several expressions give the Jacobian instead.
    """
    from numdiff_cli import api

    stdout_format = _one_format(json_out, csv_out, export, latex)
    depth = _tree_format(derivation, depth, csv_out)
    formulas = lambda: api.latex(expression, wrt=wrt, formula="gradient")  # noqa: E731
    if latex:
        output.emit(None, json_out=False, csv_out=False, text="\n".join(formulas()) + "\n")
        return
    if box is not None and plot is None:
        raise UsageError("--range sets the box that --plot draws, so it needs --plot")
    target = _plot_target(plot, stdout_format)
    result = api.grad(
        expression, at, wrt=wrt, hessian=hessian, method=method and method.value, h=_step(h), field=target is not None,
        box=box, derivation=derivation, depth=depth,
    )
    _finish(result, json_out=json_out, csv_out=csv_out, plot=target, text=export and _exported(result, export, formulas))


OPTIMIZER_NAMES = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")  # a test keeps these in step


def _complete_optimizers(incomplete: str) -> list[str]:
    """Shell completion for --optimizer, also after a comma: sgd,ad -> sgd,adagrad sgd,adam."""
    done, _, last = incomplete.rpartition(",")
    prefix = f"{done}," if done else ""
    return [prefix + name for name in OPTIMIZER_NAMES if name.startswith(last)]


class Gradient(str, Enum):
    numeric = "numeric"
    analytic = "analytic"


@app.command(cls=ExpressionCommand)
def descend(
    expression: Annotated[
        str | None, typer.Argument(help=f"The function (default: the lecture's {lecture.FUNCTION}).")
    ] = None,
    start: Annotated[
        str | None,
        typer.Option(
            "--from",
            help=f"The starting point, in variable order or by name (default {','.join(map(str, lecture.START))} for the "
            "default function; required with an expression).",
        ),
    ] = None,
    wrt: Annotated[
        str | None,
        typer.Option(
            "--wrt",
            help="The variables to learn, comma-separated (default: all); the others are held at their --from "
            "values, as the data of a loss function.",
        ),
    ] = None,
    lr: Annotated[
        str | None,
        typer.Option("--lr", help=f"Learning rate (default {lecture.LEARNING_RATE}); several separated by commas to compare."),
    ] = None,
    lr_sweep: Annotated[
        str | None,
        typer.Option(
            "--lr-sweep",
            metavar="LO:HI[:N]",
            help="Run N learning rates log-spaced from LO to HI (default N = 13) and show where each ended, how far "
            "from the minimum, and where it lies against 1/λmax and 2/λmax.",
        ),
    ] = None,
    steps: Annotated[int, typer.Option("--steps", help="Number of steps.", parser=_count, metavar="N")] = lecture.STEPS,
    ascent: Annotated[bool, typer.Option("--ascent", help="Climb to a maximum instead (x ← x + lr·∇f).")] = False,
    grad: Annotated[
        Gradient,
        typer.Option(
            "--grad", help="What drives the update: the lecture's numerical gradient (central difference) or the exact one."
        ),
    ] = Gradient.numeric,
    h: Annotated[float, typer.Option("--h", help="The step of the numerical gradient.")] = lecture.STEP,
    optimizer: Annotated[
        str,
        typer.Option(
            "--optimizer",
            metavar="NAME[:LR],..",
            help=f"{', '.join(OPTIMIZER_NAMES)}: PyTorch's update rules; several separated by commas to compare. "
            "NAME:LR gives one its own learning rate (sgd:0.95,adam:0.3), in place of --lr.",
            autocompletion=_complete_optimizers,
        ),
    ] = "sgd",
    tol: Annotated[
        float | None, typer.Option("--tol", help="Stop once ‖∇f‖ is below this (default: run every step).")
    ] = None,
    every: Annotated[
        int | None,
        typer.Option("--every", help="Show every K-th step in the table (default: about ten rows).", parser=_count, metavar="K"),
    ] = None,
    momentum: Annotated[float | None, typer.Option("--momentum", help="μ for momentum and nesterov (0.9).")] = None,
    beta1: Annotated[float | None, typer.Option("--beta1", help="β₁ for adam (0.9).")] = None,
    beta2: Annotated[float | None, typer.Option("--beta2", help="β₂ for adam (0.999).")] = None,
    alpha: Annotated[float | None, typer.Option("--alpha", help="Decay α for rmsprop (0.99).")] = None,
    eps: Annotated[
        float | None, typer.Option("--eps", help="ε for adagrad (1e-10), rmsprop and adam (1e-8).")
    ] = None,
    plot: PlotOption = None,
    json_out: JsonFlag = False,
    csv_out: CsvFlag = False,
    export: FormatOption = None,
) -> None:
    """Gradient descent (or ascent) step by step: the trace, how it ended, and why.

    With no EXPRESSION it runs the lecture's demo: f = x0² + x1² from (-3, 4), 100 steps.
    Several learning rates or optimizers (comma-separated) are compared side by side.
    """
    from numdiff_cli import api

    stdout_format = _one_format(json_out, csv_out, export)
    target = _plot_target(plot, stdout_format)
    lrs = None if lr is None else _numbers(lr, "--lr")
    names = [name.strip() for name in optimizer.split(",")]
    options = dict(
        wrt=wrt, lr=lrs, optimizer=names, steps=steps, ascent=ascent, gradient=grad.value, h=h, tol=tol, every=every,
        momentum=momentum, beta1=beta1, beta2=beta2, alpha=alpha, eps=eps, plot=target is not None,
    )
    if lr_sweep is not None:
        from numdiff_cli.learning_rates import rates

        runs = len(rates(lr_sweep))
    else:
        from numdiff_cli.descent_runs import plan

        runs = len(plan(names, lrs, lecture.LEARNING_RATE))  # the runs api.descend makes, pairs and repeats counted
    formulas = lambda: api.latex(expression or lecture.FUNCTION, formula="function")  # noqa: E731
    with output.progress(steps * runs) as progress:
        if lr_sweep is not None:
            result = api.descend(expression, start, progress=progress, lr_sweep=lr_sweep, **options)
            output.emit(result, json_out=json_out, csv_out=csv_out, text=export and _exported(result, export, formulas))
        elif json_out or csv_out:  # every step, written as it is made
            from numdiff_cli.stream import trace_writer

            with trace_writer(json_out=json_out, several=runs > 1) as writer:
                result = api.descend(expression, start, progress=progress, writer=writer, **options)
        else:
            result = api.descend(expression, start, progress=progress, **options)
            output.emit(result, json_out=False, csv_out=False, text=export and _exported(result, export, formulas))
    for run in getattr(result, "runs", [result]):
        if getattr(run, "warning", None):
            output.warn(run.warning)
    if target is not None:
        from numdiff_cli import plots

        plots.draw(result, target)


@app.command()
def tour(
    stop: Annotated[int, typer.Option("--stop", help="Start at this stop (1 to 8).")] = 1,
) -> None:
    """A guided walk through the lecture in eight stops, each with a live result and a command to try.

    On a terminal it waits between stops (Enter: the next one; a number: that stop; q: quit);
    piped, it prints every stop. In Korean: numdiff tour --lang ko.
    """
    from numdiff_cli import tour as guided

    guided.run(stop, timeout=Settings.timeout)


@app.command(cls=ExpressionCommand, epilog=FUNCTIONS_HELP)
def check(
    context: typer.Context,
    expression: Annotated[
        str | None, typer.Argument(help="The function whose derivative --claim gives, e.g. \"sin(x^2)\".")
    ] = None,
    claim: Annotated[
        str | None,
        typer.Option(
            "--claim", help="The derivative worked out by hand; a gradient as \"[2x, 2y]\", in variable order."
        ),
    ] = None,
    wrt: Annotated[
        str | None, typer.Option("--wrt", help="The variable of a claimed partial derivative (or several, comma-separated).")
    ] = None,
    at: Annotated[
        list[str] | None,
        typer.Option("--at", help="A point to compare at (repeat for several; default: 8 random points)."),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="The seed of the random points.", min=0)] = 0,
    code: Annotated[
        str | None,
        typer.Option(
            "--code",
            help="FILE.py or FILE.py:FUNCTION: check your own numerical_diff, numerical_gradient or "
            "gradient_descent. The file is imported as 'python FILE' sees it (its folder on the path; its "
            "__main__ block is not run) in a separate Python process, and stopped after 'numdiff --timeout S' "
            "seconds (10 by default).",
        ),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="With --code: count caveats (integer arrays, batches of points) as bugs.")
    ] = False,
    json_out: JsonFlag = False,
    csv_out: CsvFlag = False,
    export: FormatOption = None,
) -> None:
    """Is my answer right? Check a derivative worked out by hand, or your own gradient code.

    numdiff check "sin(x^2)" --claim "cos(x^2)" compares the claim with the true derivative
    symbolically, names the slip that explains a wrong one (a missing chain-rule factor, a sign,
    a dropped constant ...) and shows both at the --at points or at random points.

    numdiff check --code grad.py runs the file's numerical_gradient (or numerical_diff, or
    gradient_descent; FILE.py:FUNCTION picks one) on test functions and names its bugs. Your
    code runs in a separate Python process, never inside numdiff, with a time limit.

    Exit codes: 0 right; 1 wrong (or partly right), or the file could not be run; 2 usage error.
    """
    from numdiff_cli import api

    _one_format(json_out, csv_out, export)
    limit = context.find_root().params.get("timeout") or None
    result = api.check(
        expression, claim, wrt=wrt, at=at or None, seed=seed, code=code, timeout=limit, strict=strict
    )
    several = len(getattr(result, "components", ())) > 1
    formulas = lambda: [] if code else api.latex(  # noqa: E731 - the true derivatives, above the claim's table
        expression, wrt=wrt, formula="gradient" if several else "derivative"
    )
    output.emit(result, json_out=json_out, csv_out=csv_out, text=export and _exported(result, export, formulas))
    if not result.right:
        raise typer.Exit(1)


@app.command("repl")
def repl_command(context: typer.Context) -> None:
    """An interactive prompt: numdiff commands without the word numdiff, names (f = x^2), _ for
    the last result, history, Tab completion. Piped, it runs one command per line.

    --timeout (before repl) is each command's budget. A piped session's exit code is that of
    its last failing line, else 0.
    """
    from numdiff_cli import repl

    options = context.find_root().params
    lang = options["lang"] and Language(options["lang"]).value  # click's params hold the choice as text
    raise typer.Exit(repl.run(timeout=options["timeout"], debug=options["debug"], lang=lang))


def _numbers(text: str, option: str) -> list[float]:
    """A comma-separated list of numbers, for options such as --lr 0.1,10,1e-10."""
    try:
        values = [float(part) for part in text.split(",")]
    except ValueError:
        raise UsageError("{option} takes numbers separated by commas, not {text!r}", option=option, text=text) from None
    return values


def _step(text: str | None) -> float | str | None:
    """--h as a number, 'auto', or None; the core checks that a number is positive."""
    if text is None:
        return None
    if text.strip().lower() == "auto":
        return "auto"
    try:
        return float(text)
    except ValueError:
        raise UsageError("--h must be a positive number or 'auto', not {text!r}", text=text) from None


def _one_format(json_out: bool, csv_out: bool, export: Any = None, latex: bool = False) -> str | None:
    """The output option chosen in place of the table (it writes to stdout), or None; refuses two at
    once (--json with --csv, --format or --latex) before any work is done."""
    chosen = [name for name, on in (("--json", json_out), ("--csv", csv_out), ("--format", export), ("--latex", latex))
              if on]
    if len(chosen) > 1:
        raise UsageError("choose one of {options} and {last}", options=", ".join(chosen[:-1]), last=chosen[-1])
    return chosen[0] if chosen else None


def _tree_format(derivation: bool, depth: int | None, csv_out: bool) -> int:
    """The depth the --derivation tree is drawn to; refuses --derivation with --csv (CSV has no place for
    a tree) and --depth without --derivation, before any work is done."""
    if derivation and csv_out:
        raise UsageError("--derivation is a tree, which CSV cannot hold: use --json")
    if depth is not None and not derivation:
        raise UsageError("--depth sets how deep the --derivation tree is drawn, so it needs --derivation")
    return DEFAULT_DEPTH if depth is None else depth


def _plot_target(plot: str | None, stdout_taken: str | None, *, animated: bool = False) -> Any:
    """The checked ``--plot`` target (None without one), its library loaded, before any work is done.

    ``stdout_taken``: the option (--json, --csv, --format) that writes to stdout, so the picture
    cannot; ``animated``: the picture can also be a .gif.
    """
    if plot is None:
        return None
    from numdiff_cli import plots

    target = plots.parse_target(plot, animated=animated)
    if target.terminal and stdout_taken:
        raise UsageError("--plot term draws on standard output, where {option} goes: choose one, or a file",
                         option=stdout_taken)
    plots.require(target.terminal)
    return target


def _exported(result: Any, export: ExportFormat, formulas: Any) -> str:
    """``result`` as Markdown, or as LaTeX under ``formulas()`` (made only for LaTeX: it needs sympy's printer)."""
    from numdiff_cli import export as exporter

    if not hasattr(result, "to_rows"):
        raise UsageError("--format exports a table; this output has none")
    return exporter.markdown(result) if export is ExportFormat.markdown else exporter.latex(result, formulas())


def _finish(
    result: Any, *, json_out: bool, csv_out: bool, text: str | None = None, plot: Any = None, picture: Any = None
) -> None:
    """Print the result (or ``text`` made from it) and draw it (or the ``picture`` made with it) to a
    ``--plot`` target, then fail with exit code 1 if the maths failed somewhere in it."""
    output.emit(result, json_out=json_out, csv_out=csv_out, text=text)
    if plot is not None:
        from numdiff_cli import plots

        plots.draw(result if picture is None else picture, plot)
    if result.failure:
        raise MathError(result.failure)


def main() -> None:
    """Console-script entry point: runs one command and exits."""
    # Importing sympy and numpy creates about a million objects that live until exit. The cyclic
    # collector would walk them again and again while they load, and once more at exit, for
    # nothing: a run makes next to no cyclic garbage (peak memory is the same with it off, over
    # 10^6 descent steps and a 50-variable Hessian). Off for the run and frozen at exit, a small
    # command takes ~200 ms less (benchmarks/startup.py); the tests' in-process runs keep it on.
    gc.disable()
    output.plain_where_needed()
    try:
        app(prog_name="numdiff")
    finally:
        gc.freeze()

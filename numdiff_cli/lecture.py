"""The lecture's own choices, which numdiff uses wherever the user names none.

Plain data: the command line reads it for its help text, which must load no numerics.
"""

FUNCTION = "x0**2 + x1**2"  # the lecture's function for partial derivatives and descent
START = (-3, 4)  # where its gradient descent starts
LEARNING_RATE = 0.1  # the learning rate that converges
STEPS = 100  # its number of descent steps
STEP = 1e-4  # its h for finite differences (first derivatives)

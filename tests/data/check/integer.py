import numpy as np


def numerical_gradient(f, x):
    h = 1e-4
    grad = np.zeros_like(x)  # an int array for an int x
    for idx in range(x.size):
        tmp_val = x[idx]
        x[idx] = tmp_val + h  # an int array stores 3.0001 as 3
        fxh1 = f(x)
        x[idx] = tmp_val - h
        fxh2 = f(x)
        grad[idx] = (fxh1 - fxh2) / (2 * h)
        x[idx] = tmp_val
    return grad

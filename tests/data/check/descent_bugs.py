import numpy as np


def numerical_gradient(f, x):
    h = 1e-4
    grad = np.zeros_like(x)
    for idx in range(x.size):
        tmp_val = x[idx]
        x[idx] = tmp_val + h
        fxh1 = f(x)
        x[idx] = tmp_val - h
        fxh2 = f(x)
        grad[idx] = (fxh1 - fxh2) / (2 * h)
        x[idx] = tmp_val
    return grad


def gradient_descent(f, init_x, lr=0.01, step_num=100):
    x = init_x.copy()
    for i in range(step_num + 1):  # one step too many
        x -= lr * numerical_gradient(f, x)
    return x


def gradient_ascent_by_mistake(f, init_x, lr=0.01, step_num=100):
    x = init_x.astype(float)
    for i in range(step_num):
        x += lr * numerical_gradient(f, x)
    return x

def numerical_gradient(f, x):
    while True:
        pass

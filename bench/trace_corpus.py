"""Short teaching programs for the trace bench's corpus row: the kinds Python Tutor's corpus holds.

Each template is filled with a few parameters, so the corpus has 120 distinct programs of 10-150 steps:
loops, recursion, classes, closures, generators, exceptions and input().
"""

from __future__ import annotations

from typing import List, Tuple

Program = Tuple[str, str, List[str]]  # name, source, input() answers

LOOP = """total = 0
items = list(range({n}))
for i in items:
    if i % {k} == 0:
        total += i
    else:
        total -= 1
print(total)
"""

WHILE = """n = {n}
steps = 0
while n != 1:
    n = n // 2 if n % 2 == 0 else 3 * n + 1
    steps += 1
print(steps)
"""

RECURSION = """def fact(n):
    if n <= 1:
        return 1
    return n * fact(n - 1)

print(fact({n}))
"""

FIB = """def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)

print(fib({n}))
"""

CLASSES = """class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def moved(self, dx):
        return Point(self.x + dx, self.y)

    def __str__(self):
        return "(%d, %d)" % (self.x, self.y)

p = Point({n}, {k})
for _ in range(3):
    p = p.moved(1)
print(p)
"""

INHERITANCE = """class Animal:
    def __init__(self, name):
        self.name = name

    def speak(self):
        return self.name + " makes a sound"

class Dog(Animal):
    def speak(self):
        return self.name + " barks"

pets = [Animal("cat{n}"), Dog("rex{k}")]
for pet in pets:
    print(pet.speak())
"""

CLOSURE = """def make_counter(start):
    count = start
    def step(by):
        nonlocal count
        count += by
        return count
    return step

c = make_counter({n})
for i in range({k}):
    c(i)
print(c(0))
"""

GENERATOR = """def evens(limit):
    x = 0
    while x < limit:
        yield x
        x += 2

total = 0
for v in evens({n}):
    total += v
print(total, list(evens({k})))
"""

EXCEPTION = """def divide(a, b):
    try:
        return a / b
    except ZeroDivisionError:
        return None
    finally:
        pass

results = [divide({n}, b) for b in range({k}, -2, -1)]
print(results)
"""

UNCAUGHT = """def check(x):
    if x > {k}:
        raise ValueError("too big: %d" % x)
    return x

for i in range({n}):
    check(i)
"""

INPUT = """name = input("name? ")
count = int(input("count? "))
for i in range(count):
    print(name, i)
"""

DICTS = """words = "the quick brown fox jumps over the lazy dog {n}".split()
counts = {{}}
for w in words[:{k}]:
    counts[w] = counts.get(w, 0) + 1
print(sorted(counts.items()))
"""


def programs() -> List[Program]:
    """The corpus: 10 of each of 12 kinds."""
    out: List[Program] = []
    for i in range(10):
        n, k = 3 + i, 2 + i % 4
        out += [
            (f"loop-{i}", LOOP.format(n=n + 2, k=k), []),
            (f"while-{i}", WHILE.format(n=6 + i), []),
            (f"recursion-{i}", RECURSION.format(n=n), []),
            (f"fib-{i}", FIB.format(n=2 + i % 5), []),
            (f"classes-{i}", CLASSES.format(n=n, k=k), []),
            (f"inheritance-{i}", INHERITANCE.format(n=n, k=k), []),
            (f"closure-{i}", CLOSURE.format(n=n, k=k), []),
            (f"generator-{i}", GENERATOR.format(n=n + 4, k=k + 2), []),
            (f"exception-{i}", EXCEPTION.format(n=n, k=k), []),
            (f"uncaught-{i}", UNCAUGHT.format(n=n + 3, k=k), []),
            (f"input-{i}", INPUT, [f"user{i}", str(1 + i % 4)]),
            (f"dicts-{i}", DICTS.format(n=n, k=4 + i % 6), []),
        ]
    return out

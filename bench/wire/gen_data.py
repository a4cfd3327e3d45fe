#!/usr/bin/python3
"""Writes a multi-file test tree of about TOTAL bytes: odd sizes, an empty file, nested folders.

  gen_data.py DIR TOTAL_BYTES
Content is random, so nothing compresses or dedupes.
"""
import os
import sys

root, total = sys.argv[1], int(sys.argv[2])
# 8 files at odd fractions of TOTAL (+7 bytes) so pieces span file boundaries; one empty file
shares = [0.21, 0.17, 0.0, 0.13, 0.11, 0.19, 0.12, 0.07]
names = ['a.bin', 'b/c.bin', 'b/empty.txt', 'b/d/e.bin', 'f.bin', 'g/h.bin', 'g/i.bin', 'j.bin']
for share, name in zip(shares, names):
    path = os.path.join(root, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    left = int(total * share) + (7 if share else 0)
    with open(path, 'wb') as f:
        while left > 0:
            n = min(left, 1 << 20)
            f.write(os.urandom(n))
            left -= n

"""Bencoding (BEP 3) for the bench scripts' own messages: int, bytes, str (as UTF-8), list and dict
(keys sorted, as BEP 3 wants). Import it with the bench folder's lib on sys.path (see tracker.py)."""


def bencode(v):
    if isinstance(v, int):
        return b'i%de' % v
    if isinstance(v, bytes):
        return b'%d:%s' % (len(v), v)
    if isinstance(v, str):
        return bencode(v.encode())
    if isinstance(v, list):
        return b'l' + b''.join(map(bencode, v)) + b'e'
    if isinstance(v, dict):
        return b'd' + b''.join(bencode(k) + bencode(v[k]) for k in sorted(v)) + b'e'
    raise TypeError(v)

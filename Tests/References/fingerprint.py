"""Independent implementation of Tabular's Dataset.fingerprint (see its doc comment), for the
expected value in Tests/TabularTests/DatasetFingerprintTests.swift. Reads iris as modelsh's
loader types it: rownames integer, four numeric columns, Species categorical with sorted levels.
Run: python3 Tests/References/fingerprint.py"""
import csv, struct

M = (1 << 64) - 1


class Hash:
    def __init__(self):
        self.h = 0xCBF29CE484222325

    def word(self, w):
        z = w & M
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
        z ^= z >> 31
        self.h = ((self.h ^ z) * 0x100000001B3) & M

    def string(self, s):
        b = s.encode()
        self.word(len(b))
        for i in range(0, len(b), 8):
            self.word(int.from_bytes(b[i:i + 8].ljust(8, b"\0"), "little"))


def bits(x):
    return struct.unpack("<Q", struct.pack("<d", x))[0]


rows = list(csv.reader(open("sessions/data/iris.csv")))
header, body = rows[0], rows[1:]
h = Hash()
h.word(len(body))
mask_words = [0] * ((len(body) + 63) // 64)
for j, name in enumerate(header):
    values = [r[j] for r in body]
    kind = "integer" if j == 0 else ("categorical" if name == "Species" else "numeric")
    h.string(name)
    h.string(kind)
    for w in mask_words:
        h.word(w)
    if kind == "categorical":
        levels = sorted(set(values))
        h.word(len(levels))
        for level in levels:
            h.string(level)
        for v in values:
            h.word(levels.index(v))
    else:
        for v in values:
            h.word(bits(float(v)))
print(f"{h.h:016x}")

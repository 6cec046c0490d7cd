#!/usr/bin/env python3
"""sample_reference.py DB SET N SEED: the sample that sample.h's procedure
draws, computed independently of issuemine (for tests/e2e/sets_sample.sh).

Prints the drawn issues as "owner/name#N" words in draw order.
"""
import sqlite3
import sys

MASK = (1 << 64) - 1


def splitmix64(x):
    x = (x + 0x9E3779B97F4A7C15) & MASK
    z = x
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return x, z ^ (z >> 31)


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & MASK


class Xoshiro256StarStar:
    def __init__(self, seed):
        self.s = []
        for _ in range(4):
            seed, v = splitmix64(seed)
            self.s.append(v)

    def next(self):
        s = self.s
        result = (rotl((s[1] * 5) & MASK, 7) * 9) & MASK
        t = (s[1] << 17) & MASK
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        return result

    def below(self, bound):
        threshold = ((1 << 64) - bound) % bound
        while True:
            x = self.next()
            if x >= threshold:
                return x % bound


def main():
    db, name, k, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    con = sqlite3.connect(db)
    members = [
        "%s#%d" % row
        for row in con.execute(
            "SELECT r.full_name, i.number FROM set_members m JOIN sets s ON s.id = m.set_id "
            "JOIN issues i ON i.id = m.issue_id JOIN repositories r ON r.id = i.repo_id "
            "WHERE s.name = ?", (name,))
    ]
    members.sort(key=lambda ref: (ref.split("#")[0].lower(), int(ref.split("#")[1])))
    rng = Xoshiro256StarStar(seed)
    for i in range(k):
        j = i + rng.below(len(members) - i)
        members[i], members[j] = members[j], members[i]
    print(" ".join(members[:k]))


if __name__ == "__main__":
    main()

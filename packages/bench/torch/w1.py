#!/usr/bin/env python3
"""W1 side by side in PyTorch CPU: the same shapes and the same math as the TypeScript bench.

Optional: `pnpm bench` runs it when a Python with torch is found (Debian: apt-get install
python3-torch); CI never needs it. Prints one JSON object on stdout.

Random numbers differ from the TypeScript run (torch's generator), which does not change the
work: every case is dense float32 arithmetic of fixed shapes.
"""
import argparse
import json
import math
import os
import re
import sys
import time

import torch


def fwht(x):
    """Unnormalised fast Walsh-Hadamard transform along the last axis (a power of two)."""
    n = x.shape[-1]
    lead = x.shape[:-1]
    h = 1
    while h < n:
        y = x.reshape(*lead, n // (2 * h), 2, h)
        a = y[..., 0, :]
        b = y[..., 1, :]
        x = torch.stack((a + b, a - b), dim=-2).reshape(*lead, n)
        h *= 2
    return x


def orthogonal_blocks(d, D, sigma, gen):
    blocks = []
    for _ in range(math.ceil(D / d)):
        q, r = torch.linalg.qr(torch.randn(d, d, generator=gen, dtype=torch.float64))
        q = q * torch.sign(torch.diagonal(r))
        norms = torch.sqrt(torch.distributions.Chi2(torch.tensor(float(d))).sample((d,))).to(torch.float64)
        blocks.append(q * norms)
    return (torch.cat(blocks, dim=1)[:, :D] / sigma).to(torch.float32)


def cases(batch, n, d, D):
    gen = torch.Generator().manual_seed(42)
    x = torch.randn(batch, n, d, generator=gen)
    sg = math.sqrt(d)
    w_iid = torch.randn(d, D, generator=gen) / sg
    w_orf = orthogonal_blocks(d, D, sg, gen)
    w_lap = torch.distributions.Cauchy(0.0, 1.0 / d).sample((d, D))
    b = torch.rand(D, generator=gen) * 2 * math.pi
    npad = 1 << max(d, D - 1).bit_length()
    diags = [torch.randint(0, 2, (npad,), generator=gen).float() * 2 - 1 for _ in range(3)]
    scale = math.sqrt(2.0 / D)

    def rff(w):
        return lambda: scale * torch.cos(x @ w + b)

    def cossin():
        p = x @ w_iid + b
        return math.sqrt(1.0 / D) * torch.cat((torch.cos(p), torch.sin(p)), dim=-1)

    def sorf():
        rows = x.reshape(-1, d)
        z = torch.nn.functional.pad(rows, (0, npad - d))
        for i in (2, 1, 0):
            z = fwht(z * diags[i])
        proj = z[:, :D] * (1.0 / (sg * npad))
        return (scale * torch.cos(proj + b)).reshape(batch, n, D)

    return {
        "w1/gaussian": rff(w_iid),
        "w1/gaussian-cossin": cossin,
        "w1/gaussian-orthogonal": rff(w_orf),
        "w1/laplacian": rff(w_lap),
        "w1/sorf": sorf,
    }


def matmul_cases(sizes):
    gen = torch.Generator().manual_seed(3)
    out = {}
    for s in sizes:
        a = torch.randn(s, s, generator=gen)
        b = torch.randn(s, s, generator=gen)
        out[f"matmul/{s}"] = (lambda a=a, b=b: a @ b)
    return out


def measure(fn, budget, min_reps, max_reps, warmup=3):
    for _ in range(warmup):
        fn()
    samples = []
    spent = 0.0
    while len(samples) < max_reps and (len(samples) < min_reps or spent < budget):
        t = time.perf_counter()
        fn()
        dt = time.perf_counter() - t
        samples.append(dt * 1e3)
        spent += dt
    samples.sort()

    def q(p):
        pos = (len(samples) - 1) * p
        lo, hi = math.floor(pos), math.ceil(pos)
        return samples[lo] + (samples[hi] - samples[lo]) * (pos - lo)

    return {"median": q(0.5), "q1": q(0.25), "q3": q(0.75), "n": len(samples)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--d", type=int, default=64)
    ap.add_argument("--D", type=int, default=256)
    ap.add_argument("--matmul", default="256,512,1024")
    ap.add_argument("--budget", type=float, default=0.5, help="seconds of timed runs per case and thread count")
    args = ap.parse_args()

    default_threads = torch.get_num_threads()
    thread_counts = sorted({default_threads, 1, os.cpu_count() or 1})
    found = re.search(r"BLAS_INFO=([^,\s]+)", torch.__config__.show())
    blas = found.group(1) if found else None
    results = {}
    with torch.inference_mode():
        work = cases(args.batch, args.n, args.d, args.D)
        work.update(matmul_cases([int(s) for s in args.matmul.split(",") if s]))
        for threads in thread_counts:
            torch.set_num_threads(threads)
            for name, fn in work.items():
                results.setdefault(name, {})[str(threads)] = measure(fn, args.budget, 10, 200)
    torch.set_num_threads(default_threads)
    json.dump({"version": torch.__version__, "threads": default_threads, "blas": blas, "python": sys.version.split()[0], "cases": results}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()

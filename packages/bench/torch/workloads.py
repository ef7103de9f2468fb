#!/usr/bin/env python3
"""The PyTorch side-by-side: every workload of the TypeScript bench, with the same shapes, written
the way a Python user of spectrans / a Performer implementation writes it (torch ops, float32).

Optional: `pnpm bench` runs it when a Python with torch is found (Debian: apt-get install
python3-torch libopenblas0-pthread); CI never needs it. Reads one JSON spec (argv[1]) and prints
one JSON object on stdout: torch's version, the BLAS library it actually calls (read from this
process's memory maps, not from torch's build flags) and per case and thread count the timings.

Random numbers differ from the TypeScript run (torch's generator), which does not change the
work: every case is dense float32 arithmetic of fixed shapes.
"""
import ctypes
import json
import math
import os
import re
import sys
import time

import torch


# ---------------------------------------------------------------------------------------------
# Which BLAS runs torch's matmul.

def mapped_libraries():
    """Shared objects mapped into this process (real paths)."""
    paths = set()
    with open("/proc/self/maps") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 6 and parts[5].startswith("/") and ".so" in parts[5]:
                paths.add(os.path.realpath(parts[5]))
    return sorted(paths)


def file_of_address(addr):
    """The mapped file that holds an address of this process."""
    with open("/proc/self/maps") as f:
        for line in f:
            parts = line.split()
            lo, hi = (int(v, 16) for v in parts[0].split("-"))
            if lo <= addr < hi and len(parts) >= 6:
                return os.path.realpath(parts[5])
    return None


def sgemm_provider(libs):
    """The file whose sgemm_ torch calls: looked up from libtorch_cpu as the dynamic linker binds
    it (several libraries can export sgemm_: netlib's libblas.so.3 and OpenBLAS, when LAPACK pulls
    OpenBLAS in beside a reference libblas.so.3)."""
    torch_lib = next((p for p in libs if re.match(r"libtorch_cpu\.so", os.path.basename(p))), None)
    if torch_lib is None:
        return None
    try:
        fn = getattr(ctypes.CDLL(torch_lib), "sgemm_")
    except (AttributeError, OSError):
        return None
    return file_of_address(ctypes.cast(fn, ctypes.c_void_p).value)


def blas_in_use():
    """The BLAS library torch calls: name, version, variant, whether it is the reference (netlib)
    implementation, and a function that sets its thread count where torch's own does not.

    Debian's python3-torch is built against the generic libblas.so.3 (BLAS_INFO=generic), which
    the alternatives system points at OpenBLAS, BLIS or netlib's reference BLAS: only the library
    that provides the sgemm_ torch calls says which one runs.
    """
    a = torch.randn(64, 64)
    (a @ a).sum().item()  # maps lazily loaded libraries, if any
    libs = mapped_libraries()
    base = lambda p: os.path.basename(p)
    build = re.search(r"BLAS_INFO=([^,\s]+)", torch.__config__.show())
    provider = sgemm_provider(libs)
    info = {"buildInfo": build.group(1) if build else None, "sgemmFrom": provider,
            "mapped": [p for p in libs if re.search(r"blas|mkl|blis|atlas|lapack", base(p))]}
    set_threads = None
    where = provider or ""
    openblas = [p for p in libs if base(p).startswith("libopenblas")]
    if "openblas" in where and openblas:
        lib = ctypes.CDLL(openblas[0])
        lib.openblas_get_config.restype = ctypes.c_char_p
        config = lib.openblas_get_config().decode()
        core = None
        if hasattr(lib, "openblas_get_corename"):
            lib.openblas_get_corename.restype = ctypes.c_char_p
            core = lib.openblas_get_corename().decode()
        variant = re.search(r"openblas-(pthread|openmp|serial)", openblas[0])
        version = re.search(r"OpenBLAS (\d+\.\d+\.\d+)", config)
        info.update(name="OpenBLAS", version=version.group(1) if version else None, variant=variant.group(1) if variant else None,
                    library=openblas[0], config=config, core=core, reference=False, defaultThreads=lib.openblas_get_num_threads())

        def set_threads(n):
            lib.openblas_set_num_threads(n)
            return lib.openblas_get_num_threads()
    elif "mkl" in base(where) or (build and build.group(1) == "mkl" and (not provider or "libtorch" in base(where))):
        info.update(name="Intel MKL", library=provider or "linked into libtorch", reference=False)
    elif "blis" in base(where):
        info.update(name="BLIS", library=provider, reference=False)
    elif "atlas" in where:
        info.update(name="ATLAS", library=provider, reference=False)
    elif base(where).startswith("libblas.so"):
        # Debian's libblas3: netlib's reference implementation (unoptimised Fortran, one thread).
        info.update(name="reference BLAS (netlib)", library=provider, reference=True)
    else:
        info.update(name=f"unknown (sgemm_ from {provider or '?'}, BLAS_INFO={info['buildInfo']})", reference=None)
    return info, set_threads


# ---------------------------------------------------------------------------------------------
# The workloads, as a user writes them.

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
    """Orthogonal random features: QR blocks with chi-distributed row norms."""
    blocks = []
    for _ in range(math.ceil(D / d)):
        q, r = torch.linalg.qr(torch.randn(d, d, generator=gen, dtype=torch.float64))
        q = q * torch.sign(torch.diagonal(r))
        norms = torch.sqrt(torch.distributions.Chi2(torch.tensor(float(d))).sample((d,))).to(torch.float64)
        blocks.append(q * norms)
    return (torch.cat(blocks, dim=1)[:, :D] / sigma).to(torch.float32)


class RFF:
    """Random Fourier features sqrt(2/D)·cos(x W + b) (or cos/sin), as GaussianRFFKernel.forward."""

    def __init__(self, w, b, cossin=False):
        self.w, self.b, self.cossin = w, b, cossin
        self.D = w.shape[1]

    def __call__(self, x):
        p = x @ self.w + self.b
        if self.cossin:
            return math.sqrt(1.0 / self.D) * torch.cat((torch.cos(p), torch.sin(p)), dim=-1)
        return math.sqrt(2.0 / self.D) * torch.cos(p)


def w1_w2_cases(s, gen):
    w1, w2 = s["w1"], s["w2"]
    d, D = w1["d"], w1["D"]
    x = torch.randn(w1["batch"], w1["n"], d, generator=gen)
    sg = math.sqrt(d)
    w_iid = torch.randn(d, D, generator=gen) / sg
    w_orf = orthogonal_blocks(d, D, sg, gen)
    w_lap = torch.distributions.Cauchy(0.0, 1.0 / d).sample((d, D))
    b = torch.rand(D, generator=gen) * 2 * math.pi
    npad = 1 << max(d, D - 1).bit_length()
    diags = [torch.randint(0, 2, (npad,), generator=gen).float() * 2 - 1 for _ in range(3)]

    def sorf():
        rows = x.reshape(-1, d)
        z = torch.nn.functional.pad(rows, (0, npad - d))
        for i in (2, 1, 0):
            z = fwht(z * diags[i])
        proj = z[:, :D] * (1.0 / (sg * npad))
        return (math.sqrt(2.0 / D) * torch.cos(proj + b)).reshape(x.shape[0], x.shape[1], D)

    gauss = RFF(w_iid, b)
    cases = {
        "w1/gaussian": lambda: gauss(x),
        "w1/gaussian-cossin": (lambda f=RFF(w_iid, b, cossin=True): f(x)),
        "w1/gaussian-orthogonal": (lambda f=RFF(w_orf, b): f(x)),
        "w1/laplacian": (lambda f=RFF(w_lap, b): f(x)),
        "w1/sorf": sorf,
    }
    # W2: kernelApproximation = Φ(x) Φ(y)ᵀ, batched.
    x2 = torch.randn(w2["batch"], w2["n"], w2["d"], generator=gen)
    y2 = torch.randn(w2["batch"], w2["m"], w2["d"], generator=gen)
    g2 = RFF(torch.randn(w2["d"], w2["D"], generator=gen) / math.sqrt(w2["d"]), torch.rand(w2["D"], generator=gen) * 2 * math.pi)
    cases["w2/gaussian"] = lambda: g2(x2) @ g2(y2).transpose(-2, -1)
    return cases


def w3_cases(s, gen):
    """Exact kernels from pairwise distances: torch.cdist (its matmul form for p = 2, direct L1 for p = 1)."""
    w3 = s["w3"]
    d = w3["d"]
    sg, sl = math.sqrt(d), float(d)

    def gaussian(x, y):
        return torch.exp(torch.cdist(x, y).square() * (-0.5 / sg**2))

    def laplacian(x, y):
        return torch.exp(torch.cdist(x, y, p=1) * (-1.0 / sl))

    cases = {}
    for size, shape in (("batched", (w3["batch"], w3["n"], d)), (f"n={w3['large']}", (w3["large"], d))):
        x = torch.randn(*shape, generator=gen)
        y = torch.randn(*shape, generator=gen)
        cases[f"w3/gaussian/cdist/{size}"] = (lambda x=x, y=y: gaussian(x, y))
        cases[f"w3/laplacian/cdist/{size}"] = (lambda x=x, y=y: laplacian(x, y))
    return cases


def favor_features(x, w, stabilizer):
    """Performer FAVOR+ positive softmax features exp(ωᵀx − ‖x‖²/2 − max) / √D."""
    z = x @ w
    z = z - (x * x).sum(-1, keepdim=True) * 0.5
    if stabilizer == "row":
        z = z - z.amax(-1, keepdim=True)
    elif stabilizer == "global":
        z = z - z.amax()
    return torch.exp(z) * (1.0 / math.sqrt(w.shape[1]))


def linear_attention(q, k, v, w, eps=1e-6):
    """φ(Q)(φ(K)ᵀV) / φ(Q)(φ(K)ᵀ1), with q, k scaled by d^(−1/4)."""
    scale = q.shape[-1] ** -0.25
    pq = favor_features(q * scale, w, "row")
    pk = favor_features(k * scale, w, "global")
    num = pq @ (pk.transpose(-2, -1) @ v)
    den = pq @ pk.sum(-2)
    return num / den.clamp_min(eps).unsqueeze(-1)


def causal_linear_attention(q, k, v, w, chunk=64, eps=1e-6):
    """Causal linear attention by chunks: inside a chunk the lower-triangular product, across chunks
    the running sums S = Σ φ(k)vᵀ and z = Σ φ(k)."""
    scale = q.shape[-1] ** -0.25
    pq = favor_features(q * scale, w, "row")
    pk = favor_features(k * scale, w, "global")
    n = q.shape[-2]
    tril = torch.ones(chunk, chunk).tril()
    state = torch.zeros(w.shape[1], v.shape[-1])
    ksum = torch.zeros(w.shape[1])
    outs = []
    for start in range(0, n, chunk):
        qc, kc, vc = pq[start:start + chunk], pk[start:start + chunk], v[start:start + chunk]
        m = qc.shape[0]
        a = (qc @ kc.T) * tril[:m, :m]
        num = a @ vc + qc @ state
        den = a.sum(-1) + qc @ ksum
        state = state + kc.T @ vc
        ksum = ksum + kc.sum(0)
        outs.append(num / den.clamp_min(eps).unsqueeze(-1))
    return torch.cat(outs)


def w4_cases(s, gen):
    w4 = s["w4"]
    d, D = w4["d"], w4["D"]
    w = orthogonal_blocks(d, D, 1.0, gen)
    cases = {}
    for n in sorted(set(w4["ns"]) | set(w4["causalNs"])):
        q, k, v = (torch.randn(n, d, generator=gen) for _ in range(3))
        if n in w4["ns"]:
            cases[f"w4/features/n={n}"] = (lambda q=q: favor_features(q, w, "none"))
            cases[f"w4/linear/n={n}"] = (lambda q=q, k=k, v=v: linear_attention(q, k, v, w))
        if n in w4["causalNs"]:
            cases[f"w4/causal/n={n}"] = (lambda q=q, k=k, v=v: causal_linear_attention(q, k, v, w))
    return cases


def matmul_cases(sizes, gen):
    out = {}
    for n in sizes:
        a = torch.randn(n, n, generator=gen)
        b = torch.randn(n, n, generator=gen)
        out[f"matmul/{n}"] = (lambda a=a, b=b: a @ b)
    return out


# ---------------------------------------------------------------------------------------------
# Timing.

def measure(fn, budget, min_reps, max_reps, cap):
    """Times fn: warm-up runs, then at least min_reps timed runs and until `budget` seconds are
    spent; a case whose runs take seconds stops after two once `cap` seconds are spent."""
    t = time.perf_counter()
    fn()
    if time.perf_counter() - t < 0.5:
        fn()
    samples = []
    spent = 0.0
    while len(samples) < max_reps and (len(samples) < min_reps or spent < budget):
        if len(samples) >= 2 and spent >= cap:
            break
        t = time.perf_counter()
        fn()
        dt = time.perf_counter() - t
        samples.append(dt * 1e3)
        spent += dt
    ordered = sorted(samples)

    def q(p):
        pos = (len(ordered) - 1) * p
        lo, hi = math.floor(pos), math.ceil(pos)
        return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)

    return {"median": q(0.5), "q1": q(0.25), "q3": q(0.75), "n": len(samples), "samples": samples}


def main():
    spec = json.loads(sys.argv[1])
    blas, set_blas_threads = blas_in_use()
    default_threads = torch.get_num_threads()
    cores = os.cpu_count() or 1
    thread_counts = sorted({1, cores})
    gen = torch.Generator().manual_seed(42)
    work = {}
    with torch.inference_mode():
        work.update(matmul_cases(spec["matmul"], gen))
        work.update(w1_w2_cases(spec, gen))
        work.update(w3_cases(spec, gen))
        work.update(w4_cases(spec, gen))
        results = {}
        threads_used = {}
        for threads in thread_counts:
            # Debian's torch (BLAS_INFO=generic) does not pass set_num_threads on to OpenBLAS: set both.
            torch.set_num_threads(threads)
            blas_threads = set_blas_threads(threads) if set_blas_threads else None
            threads_used[str(threads)] = {"torch": torch.get_num_threads(), "blas": blas_threads}
            for name, fn in work.items():
                results.setdefault(name, {})[str(threads)] = measure(fn, spec["budget"], spec["minReps"], 200, spec.get("capSeconds", 3.0))
    torch.set_num_threads(default_threads)
    json.dump({
        "version": torch.__version__,
        "python": sys.version.split()[0],
        "threads": default_threads,
        "threadCounts": thread_counts,
        "threadsUsed": threads_used,
        "blas": blas,
        "cases": results,
    }, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()

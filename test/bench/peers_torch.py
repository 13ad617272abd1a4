# PyTorch side of test/bench/peers.bench.ts: runs one workload (W1–W4, as defined there) on one CPU thread and prints
# one JSON line {"rate": ..., "unit": ..., "maxRssMb": ..., "blas": ...}. Run by the bench with Debian's python3-torch:
#   /usr/bin/python3 test/bench/peers_torch.py W1 [--quick]
import json
import math
import resource
import statistics
import sys
import time

import torch

torch.set_num_threads(1)
torch.manual_seed(42)
QUICK = "--quick" in sys.argv
RUNS = 3 if QUICK else 7
WARMUP_S = 0.5 if QUICK else 2.0


def blas_library():
    """Which BLAS the process mapped: torch without OpenBLAS falls back to the slow reference BLAS."""
    with open("/proc/self/maps") as f:
        maps = f.read()
    if "openblas" in maps:
        return "openblas"
    if "mkl" in maps:
        return "mkl"
    return "reference" if "libblas" in maps else "none"


def timed(step, warmup, runs):
    """Median of `runs` calls after at least `warmup` calls and WARMUP_S seconds (as peers.bench.ts does)."""
    start = time.perf_counter()
    done = 0
    while done < warmup or time.perf_counter() - start < WARMUP_S:
        step()
        done += 1
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def w1():
    # (B 64, T 32, F 8) → LSTM(H 64) → last hidden → Linear(64 → 1), MSE, Adam lr 1e-3
    lstm = torch.nn.LSTM(8, 64, batch_first=True)
    head = torch.nn.Linear(64, 1)
    params = list(lstm.parameters()) + list(head.parameters())
    opt = torch.optim.Adam(params, lr=1e-3)

    def step():
        x = torch.randn(64, 32, 8)
        y = x[:, -1, :].mean(dim=1, keepdim=True)
        opt.zero_grad()
        out, _ = lstm(x)
        loss = torch.nn.functional.mse_loss(head(out[:, -1, :]), y)
        loss.backward()
        opt.step()

    s = timed(step, 3 if QUICK else 8, 7 if QUICK else 25)
    return 64 / s, "samples/s"


class Positions(torch.nn.Module):
    def __init__(self, steps, d):
        super().__init__()
        pe = torch.zeros(steps, d)
        pos = torch.arange(steps).unsqueeze(1)
        div = torch.exp(torch.arange(0, d, 2) * (-math.log(10000.0) / d))
        pe[:, 0::2] = torch.sin(pos * div)
        pe[:, 1::2] = torch.cos(pos * div)
        self.register_buffer("pe", pe)

    def forward(self, x):
        return x + self.pe


def gelu_tanh(x):
    """GELU's tanh approximation, the form NeuralFin's and TF.js's W2 use."""
    return torch.nn.functional.gelu(x, approximate="tanh")


def w2():
    # Dense(8 → 32) + sinusoidal positions → 2 pre-norm encoder blocks (4 heads, FF 64, GELU-tanh, no dropout)
    # → mean over T → Linear(32 → 1), MSE, Adam lr 1e-3, batch 64, T 32; one run = 1,024 rows
    blocks = [
        torch.nn.TransformerEncoderLayer(
            32, 4, 64, dropout=0.0, activation=gelu_tanh, batch_first=True, norm_first=True
        )
        for _ in range(2)
    ]
    model = torch.nn.Sequential(torch.nn.Linear(8, 32), Positions(32, 32), *blocks)
    head = torch.nn.Linear(32, 1)
    opt = torch.optim.Adam(list(model.parameters()) + list(head.parameters()), lr=1e-3)
    x_all = torch.randn(1024, 32, 8)
    y_all = x_all.mean(dim=(1, 2)).unsqueeze(1)

    def epoch():
        perm = torch.randperm(1024)
        for i in range(0, 1024, 64):
            idx = perm[i : i + 64]
            opt.zero_grad()
            loss = torch.nn.functional.mse_loss(head(model(x_all[idx]).mean(dim=1)), y_all[idx])
            loss.backward()
            opt.step()

    s = timed(epoch, 1, RUNS)
    return 1024 / s, "samples/s"


def mlp():
    return torch.nn.Sequential(
        torch.nn.Linear(30, 64), torch.nn.ReLU(), torch.nn.Linear(64, 32), torch.nn.ReLU(), torch.nn.Linear(32, 1)
    )


def w3():
    # 30 → 64 ReLU → 32 ReLU → 1 (logit), BCE with logits, Adam lr 1e-3, batch 256; one run = 16,384 rows
    model = mlp()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x_all = torch.randn(16384, 30)
    y_all = (x_all @ torch.randn(30, 1) > 0).float()
    loss_fn = torch.nn.BCEWithLogitsLoss()

    def epoch():
        perm = torch.randperm(16384)
        for i in range(0, 16384, 256):
            idx = perm[i : i + 256]
            opt.zero_grad()
            loss = loss_fn(model(x_all[idx]), y_all[idx])
            loss.backward()
            opt.step()

    s = timed(epoch, 2, RUNS)
    return 16384 / s, "samples/s"


def w4():
    # the W3 network scores 100,000 rows in batches of 4,096
    model = mlp().eval()
    x_all = torch.randn(100000, 30)

    def score():
        with torch.no_grad():
            for i in range(0, 100000, 4096):
                model(x_all[i : i + 4096])

    s = timed(score, 2, RUNS)
    return 100000 / s, "rows/s"


rate, unit = {"W1": w1, "W2": w2, "W3": w3, "W4": w4}[sys.argv[1]]()
max_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"rate": rate, "unit": unit, "maxRssMb": max_rss_mb, "blas": blas_library()}))

"""Scenario 6: a 512 MiB upload into S3 through genie, against the S3 client's
own direct put of the same file to the same server, in one run.

moto's S3 runs in server mode in its own process on a free loopback port, as
the S3 endpoint of both. It is slow (about 40 MiB/s on these machines), so the
ratio, not the rate, is what compares with the target. Every object is deleted
after its round: moto keeps them in memory.

``--ab`` measures the choice of client (bench/README.md): genie's uploads through
aiobotocore (its backend) and through obstore (``bench/s3_obstore.py``), with each
client's direct put beside them, interleaved round by round.

    python bench/run.py --only 6 [--rounds 3] [--upload-mib 512]
    python bench/s3.py [--ab] [--rounds 3] [--upload-mib 512]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import run as harness  # noqa: E402 - the path above makes the import work

MiB = harness.MiB
BUCKET = "bench"
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench-secret",
    "AWS_REGION": "us-east-1",
}


@dataclass
class Moto:
    endpoint: str
    process: subprocess.Popen[bytes]

    def genie_env(self, url: str, prefix: str) -> dict[str, str]:
        return harness.env_for(
            url,
            GENIE_OBJECT_MAX_SIZE="0",
            GENIE_STORAGE_URL=f"s3://{BUCKET}/{prefix}",
            GENIE_S3_ENDPOINT_URL=self.endpoint,
            GENIE_DATA_DIR=tempfile.mkdtemp(prefix="genie-bench-s3-"),
            **CREDENTIALS,
        )


@contextmanager
def moto() -> Iterator[Moto]:
    port = harness.free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.put(f"{endpoint}/{BUCKET}", timeout=2).raise_for_status()
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or process.poll() is not None:
                    harness.die("moto did not start")
                time.sleep(0.2)
        yield Moto(endpoint, process)
    finally:
        process.terminate()
        process.wait(timeout=10)


# The clients' own direct puts (in this process), and a clean-up between rounds.


def _client(endpoint: str):  # type: ignore[no-untyped-def]
    from aiobotocore.config import AioConfig
    from aiobotocore.session import get_session

    config = AioConfig(
        s3={"addressing_style": "path"},
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )
    return get_session().create_client(
        "s3",
        endpoint_url=endpoint,
        region_name=CREDENTIALS["AWS_REGION"],
        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        config=config,
    )


async def _aiobotocore_put(endpoint: str, key: str, path: Path) -> None:
    """A multipart upload of the file, parts and concurrency as genie's backend."""
    from genie.storage.s3 import PART_SIZE, PARTS_IN_FLIGHT

    async with _client(endpoint) as client:
        created = await client.create_multipart_upload(Bucket=BUCKET, Key=key)
        upload_id, slots = created["UploadId"], asyncio.Semaphore(PARTS_IN_FLIGHT)

        async def part(number: int, body: bytes) -> dict[str, object]:
            try:
                sent = await client.upload_part(
                    Bucket=BUCKET, Key=key, UploadId=upload_id, PartNumber=number, Body=body
                )
            finally:
                slots.release()
            return {"PartNumber": number, "ETag": sent["ETag"]}

        tasks = []
        with path.open("rb") as f:
            while body := f.read(PART_SIZE):
                await slots.acquire()
                tasks.append(asyncio.create_task(part(len(tasks) + 1, body)))
        parts = await asyncio.gather(*tasks)
        await client.complete_multipart_upload(
            Bucket=BUCKET, Key=key, UploadId=upload_id, MultipartUpload={"Parts": parts}
        )


async def _obstore_put(endpoint: str, key: str, path: Path) -> None:
    import obstore
    from obstore.store import S3Store

    from genie.storage.s3 import PART_SIZE, PARTS_IN_FLIGHT

    store = S3Store(
        BUCKET,
        endpoint=endpoint,
        access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        region=CREDENTIALS["AWS_REGION"],
        client_options={"allow_http": True},
    )
    await obstore.put_async(store, key, path, chunk_size=PART_SIZE, max_concurrency=PARTS_IN_FLIGHT)


async def _delete_all(endpoint: str) -> None:
    async with _client(endpoint) as client:
        listed = await client.list_objects_v2(Bucket=BUCKET)
        for item in listed.get("Contents", []):
            await client.delete_object(Bucket=BUCKET, Key=item["Key"])


def _timed(fn: Callable[[], None], size: int) -> dict[str, float]:
    started = time.perf_counter()
    fn()
    return {"rate": size / MiB / (time.perf_counter() - started)}


def _upload(server: harness.Server, token: str, body: Path, name: str) -> None:
    """``curl -T``: the file streamed from RAM, as scenario 3 does."""
    out = subprocess.run(
        [
            "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST",
            "-H", f"Authorization: Bearer {token}",
            "-H", "Content-Type: application/octet-stream",
            "-H", "Expect:", "-T", str(body),
            f"{server.url}/djinn/objects?name={name}",
        ],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    if out != "201":
        harness.die(f"{server.name}: upload answered {out}")


class Round:
    """Contenders of one run, each a function of a fresh object name, timed."""

    def __init__(self, moto: Moto, body: Path, size: int) -> None:
        self.moto, self.body, self.size, self.count = moto, body, size, 0

    def genie(self, server: harness.Server, token: str) -> Callable[[], dict[str, float]]:
        def run() -> dict[str, float]:
            self.count += 1
            before = server.status_kib("VmHWM")
            timed = _timed(
                # Not big-N: scenario 3 left objects of those names in the same database.
                lambda: _upload(server, token, self.body, f"s3-big-{self.count}"),
                self.size,
            )
            asyncio.run(_delete_all(self.moto.endpoint))
            return {**timed, "growth": (server.status_kib("VmHWM") - before) / 1024}

        return run

    def direct(self, put: Callable[[str, str, Path], object]) -> Callable[[], dict[str, float]]:
        def run() -> dict[str, float]:
            self.count += 1
            key = f"direct-{self.count}"
            timed = _timed(lambda: asyncio.run(put(self.moto.endpoint, key, self.body)), self.size)  # type: ignore[arg-type]
            asyncio.run(_delete_all(self.moto.endpoint))
            return timed

        return run


def _warm(server: harness.Server, token: str) -> int:
    """One small upload, so the baseline includes a served upload (as scenario 3);
    returns the VmHWM after it."""
    warm = httpx.post(
        f"{server.url}/djinn/objects",
        params={"name": f"warm-{server.name.replace('+', '-')}"},
        content=b"x" * MiB,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert warm.status_code == 201, warm.text
    return server.status_kib("VmHWM")


@contextmanager
def _body(size_mib: int) -> Iterator[Path]:
    shm = Path("/dev/shm")  # noqa: S108 - the body lives in RAM so disk reads do not skew it
    with tempfile.TemporaryDirectory(dir=shm if shm.is_dir() else None) as tmp:
        body = Path(tmp) / "upload.bin"
        with body.open("wb") as f:
            block = os.urandom(MiB)
            for _ in range(size_mib):
                f.write(block)
        yield body


def _rate(runs: list[dict[str, float]]) -> float:
    return statistics.median(r["rate"] for r in runs)


def scenario_s3_upload(args: argparse.Namespace, url: str, token: str) -> list[harness.Result]:
    size = args.upload_mib * MiB
    with _body(args.upload_mib) as body, moto() as s3:
        genie = harness.start_genie("genie", s3.genie_env(url, "genie"))
        with harness.servers(genie):
            baseline = _warm(genie, token)
            rounds = Round(s3, body, size)
            runs = harness.interleave(
                args.rounds,
                {"genie": rounds.genie(genie, token), "direct": rounds.direct(_aiobotocore_put)},
            )
            growth = (genie.status_kib("VmHWM") - baseline) / 1024
    g, d = _rate(runs["genie"]), _rate(runs["direct"])
    return [
        harness.Result(
            f"6. upload {args.upload_mib} MiB to S3 (moto) vs aiobotocore's direct put",
            g,
            d,
            "MiB/s",
            ">= 0.7",
            g / d >= 0.7,
            "the same file, the same moto server, interleaved rounds",
            {n: [r["rate"] for r in runs[n]] for n in runs},
        ),
        harness.Result(
            "6b. S3 upload: server peak RSS growth", growth, 64, "MiB", "< 64 MiB", growth < 64
        ),
    ]


def _ab_rows(
    runs: dict[str, list[dict[str, float]]], growth: dict[str, float]
) -> list[harness.Result]:
    results = []
    for client in ("aiobotocore", "obstore"):
        g, d = _rate(runs[f"genie+{client}"]), _rate(runs[f"{client} direct"])
        results.append(
            harness.Result(
                f"A/B {client}: genie upload vs its direct put",
                g,
                d,
                "MiB/s",
                "info",
                None,
                f"VmHWM growth {growth[f'genie+{client}']:.1f} MiB",
                {n: [r["rate"] for r in runs[n]] for n in runs if client in n},
            )
        )
    return results


def ab(args: argparse.Namespace, url: str, token: str) -> list[harness.Result]:
    """genie with each client, and each client's direct put, interleaved."""
    size = args.upload_mib * MiB
    with _body(args.upload_mib) as body, moto() as s3:
        aiobotocore = harness.start_genie("genie+aiobotocore", s3.genie_env(url, "a"))
        obstore = harness._start(
            "genie+obstore",
            ["bench.s3_obstore", "serve"],
            s3.genie_env(url, "o"),
            "/healthz",
        )
        with harness.servers(aiobotocore, obstore):
            base = {s.name: _warm(s, token) for s in (aiobotocore, obstore)}
            rounds = Round(s3, body, size)
            runs = harness.interleave(
                args.rounds,
                {
                    "genie+aiobotocore": rounds.genie(aiobotocore, token),
                    "aiobotocore direct": rounds.direct(_aiobotocore_put),
                    "genie+obstore": rounds.genie(obstore, token),
                    "obstore direct": rounds.direct(_obstore_put),
                },
            )
            growth = {
                s.name: (s.status_kib("VmHWM") - base[s.name]) / 1024
                for s in (aiobotocore, obstore)
            }
    return _ab_rows(runs, growth)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--upload-mib", type=int, default=512)
    parser.add_argument("--ab", action="store_true", help="aiobotocore against obstore")
    args = parser.parse_args()
    # Not run.py's database: a run of the other scenarios may be using it.
    harness.DATABASE = "genie_bench_s3"
    url = harness.fresh_database()
    token = harness.bulk_load(url, "small", 10)
    results = (ab if args.ab else scenario_s3_upload)(args, url, token)
    report = harness.table(results)
    print(report)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H%M%SZ")
    out = ROOT / "bench" / "results" / f"{stamp}-s3{'-ab' if args.ab else ''}.json"
    results_json = [{**r.__dict__, "ratio": r.ratio} for r in results]
    out.write_text(
        json.dumps(
            {"date": stamp, "args": vars(args), "results": results_json, "markdown": report},
            indent=2,
        )
    )
    print(f"bench: results written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

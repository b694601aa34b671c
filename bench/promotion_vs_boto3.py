#!/usr/bin/env python3
"""relkit's promotion against what a release manager runs today, in one run,
on the same local S3 server (moto_server on 127.0.0.1), results checked equal.

Two measurements (issue 11, "Speed"):

  plan   Planning over a listing of N keys (default 100,000) in whl/test/:
         `relkit promote --from s3://... --to s3://... --json` (a dry run)
         against the time the listing alone takes (a boto3 paginator over
         the same prefix, and the listing plus the fnmatch filter that
         `aws s3 cp --recursive --dryrun --exclude '*' --include ...` does).
         The selection is realistic (a torch release: several hundred
         files); the plan is also timed for a package with no file (the
         listing and the selection without one Head per selected file),
         which isolates the cost of the Heads. relkit's planned source keys
         are checked equal to the glob's (the bench data has no glob trap).

  copy   Promoting M objects (default 2,000, mixed small sizes) from
         whl/test/ to whl/ inside one bucket: a boto3 script doing
         what `aws s3 cp s3://SRC/whl/test/ s3://DST/whl/ --recursive --acl
         public-read --metadata-directive COPY --exclude '*' --include
         "*<name>-<version>*"` does (list, fnmatch, one CopyObject per match;
         the AWS CLI runs 10 requests at once by default,
         `max_concurrent_requests = 10`, so the baseline does too; a
         sequential figure is printed beside it), against
         `relkit promote ... --execute`. While --execute is refused (exit 2)
         the harness says "relkit --execute not available yet" and reports
         the baseline only; once it lands, both destination buckets are
         compared key by key (size, ETag, metadata, public-read ACL).

Run with the image's pyenv python3 (it has boto3 and moto_server):

    python3 bench/promotion_vs_boto3.py plan [--keys 100000] [--json]
    python3 bench/promotion_vs_boto3.py copy [--objects 2000] [--json]

RELKIT_CLI names the relkit binary (default build/default/relkit;
RELKIT_CLI_BEFORE, optional, another one whose plan is timed beside it);
RELKIT_MOTO_SERVER names moto_server. Every request goes to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import fnmatch
import hashlib
import json
import os
import platform
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Callable, Iterator

import boto3
import botocore.config

ROOT = Path(__file__).resolve().parents[1]
ACCESS_KEY = "AKIABENCHPROMOTION"
SECRET = "bench-secret-not-a-real-key"

# The release promoted in both benches.
TORCH = "2.9.1"
TORCHVISION = "0.24.1"
VERSIONS_SH = (
    "#!/usr/bin/env bash\n"
    f"PYTORCH_VERSION=${{PYTORCH_VERSION:-{TORCH}}}\n"
    f"TORCHVISION_VERSION=${{TORCHVISION_VERSION:-{TORCHVISION}}}\n"
    "TORCHAUDIO_VERSION=${TORCHAUDIO_VERSION:-2.9.1}\n"
)
ACCELERATORS = ["cpu", "cu126", "cu128", "cu129", "cu130", "rocm6.3", "rocm6.4",
                "xpu", "cpu.cxx11.abi", "cu118"]
PYTHONS = [("cp39", "cp39"), ("cp310", "cp310"), ("cp311", "cp311"), ("cp312", "cp312"),
           ("cp313", "cp313"), ("cp313", "cp313t"), ("cp314", "cp314"), ("cp314", "cp314t")]
PLATFORMS = ["manylinux_2_28_x86_64", "manylinux_2_28_aarch64", "win_amd64",
             "macosx_11_0_arm64", "linux_x86_64"]


def wheel_keys(package: str, version: str, prefix: str, accelerators: int = 10,
               platforms: int = 5) -> Iterator[str]:
    """Yields wheel keys (with .metadata sidecars) of one package version:
    accelerators * len(PYTHONS) * platforms * 2 keys (800 at most)."""
    for acc in ACCELERATORS[:accelerators]:
        for py, abi in PYTHONS:
            for plat in PLATFORMS[:platforms]:
                name = f"{package}-{version}+{acc}-{py}-{abi}-{plat}.whl"
                yield f"{prefix}{acc}/{name}"
                yield f"{prefix}{acc}/{name}.metadata"


def filler_versions() -> Iterator[tuple[str, str]]:
    """Yields (package, version) of other releases and nightlies: what makes a
    real whl/test/ large, never matched by the release's globs."""
    for minor in range(0, 9):
        for patch in range(0, 4):
            yield "torch", f"2.{minor}.{patch}"
            yield "torchvision", f"0.{15 + minor}.{patch}"
    for day in range(1, 400):
        yield "torch", f"2.10.0.dev2026{(day % 12) + 1:02d}{(day % 28) + 1:02d}{day:03d}"


# -- the local S3 server ------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Moto:
    """moto_server on 127.0.0.1, stopped on exit."""

    def __init__(self, log_dir: Path) -> None:
        program = os.environ.get("RELKIT_MOTO_SERVER") or shutil.which("moto_server")
        if not program:
            sys.exit("moto_server not found (the image's pyenv python3 has it); "
                     "set RELKIT_MOTO_SERVER")
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.log = open(log_dir / "moto.log", "wb")
        self.proc = subprocess.Popen([program, "-H", "127.0.0.1", "-p", str(self.port)],
                                     stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        deadline = time.monotonic() + 60
        while True:
            if self.proc.poll() is not None:
                sys.exit(f"moto_server exited at start; see {log_dir / 'moto.log'}")
            try:
                opener.open(f"{self.endpoint}/moto-api/data.json", timeout=2).read()
                return
            except (urllib.error.URLError, OSError):
                if time.monotonic() > deadline:
                    sys.exit("moto_server did not answer within 60 s")
                time.sleep(0.1)

    def stop(self) -> None:
        os.killpg(self.proc.pid, 15)
        self.proc.wait(timeout=30)
        self.log.close()


def s3_client(endpoint: str, pool: int = 10) -> Any:
    return boto3.client(
        "s3", endpoint_url=endpoint, region_name="us-east-1",
        aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET,
        config=botocore.config.Config(max_pool_connections=pool,
                                      retries={"max_attempts": 5, "mode": "standard"}))


def relkit_env(endpoint: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({"AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET,
                "AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": endpoint,
                "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"})
    return env


def relkit_cli() -> str:
    cli = os.environ.get("RELKIT_CLI") or str(ROOT / "build" / "default" / "relkit")
    if not os.access(cli, os.X_OK):
        sys.exit(f"relkit CLI not found at {cli}: build it or set RELKIT_CLI")
    return cli


def put_all(client: Any, bucket: str, objects: dict[str, bytes], threads: int = 16) -> float:
    """Puts every object (16 at once); returns the wall time."""
    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        list(pool.map(lambda kv: client.put_object(Bucket=bucket, Key=kv[0], Body=kv[1]),
                      objects.items()))
    return time.perf_counter() - start


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def best_of(repeat: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        t, result = timed(fn)
        best = min(best, t)
    return best, result


def boto3_list(client: Any, bucket: str, prefix: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        out.extend(page.get("Contents", []))
    return out


def glob_select(keys: list[str], prefix: str, patterns: list[str]) -> list[str]:
    """What `aws s3 cp --recursive --exclude '*' --include P...` keeps: the
    path relative to the source prefix matched with fnmatch."""
    return [k for k in keys if any(fnmatch.fnmatch(k[len(prefix):], p) for p in patterns)]


def run_relkit(args: list[str], endpoint: str,
               cli: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([cli or relkit_cli(), *args], env=relkit_env(endpoint),
                          capture_output=True, text=True, timeout=3600)


# -- plan ---------------------------------------------------------------------


def bench_plan(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    moto = Moto(work)
    try:
        client = s3_client(moto.endpoint, pool=16)
        client.create_bucket(Bucket="pytorch")
        client.create_bucket(Bucket="release")
        # A release as whl/test/ holds it: 7 accelerators, 8 Pythons, 4
        # platforms, each wheel with its .metadata: 448 files a package.
        selected = [*wheel_keys("torch", TORCH, "whl/test/", 7, 4),
                    *wheel_keys("torchvision", TORCHVISION, "whl/test/", 7, 4)]
        objects = {k: b"x" * (len(k) % 97 + 1) for k in selected}
        for package, version in filler_versions():
            for key in wheel_keys(package, version, "whl/test/"):
                if len(objects) >= args.keys:
                    break
                objects[key] = b"y" * (len(key) % 89 + 1)
            if len(objects) >= args.keys:
                break
        if len(objects) < args.keys:
            sys.exit(f"the generator makes only {len(objects)} keys")
        fill = sum(put_all(client, b, objects) for b in buckets)
        (work / "release_versions.sh").write_text(VERSIONS_SH)

        list_t, listing = best_of(args.repeat, lambda: boto3_list(client, "pytorch", "whl/test/"))
        keys = [o["Key"] for o in listing]
        assert len(keys) == args.keys, (len(keys), args.keys)
        patterns = [f"*torch-{TORCH}*", f"*torchvision-{TORCHVISION}*"]
        glob_t, globbed = best_of(args.repeat, lambda: glob_select(
            [o["Key"] for o in boto3_list(client, "pytorch", "whl/test/")], "whl/test/", patterns))

        def plan(*packages: str, cli: str | None = None) -> dict[str, Any]:
            cmd = ["promote", "--versions", str(work / "release_versions.sh"),
                   "--from", "s3://pytorch/whl/test", "--to", "s3://release/whl",
                   "--allow-incomplete", "--json"]
            for p in packages:
                cmd += ["--package", p]
            r = run_relkit(cmd, moto.endpoint, cli)
            if r.returncode not in (0, 1):
                sys.exit(f"relkit promote failed ({r.returncode}): {r.stderr}")
            return json.loads(r.stdout)  # type: ignore[no-any-return]

        plan_t, planned = best_of(args.repeat, lambda: plan("torch", "torchvision"))
        relkit_keys = sorted(c["source"] for c in planned["copies"])
        if relkit_keys != sorted(globbed):
            sys.exit("relkit's plan and the glob selected different keys: "
                     f"{len(relkit_keys)} vs {len(globbed)}")
        # A package of the set with no file in the source: the same listing
        # and selection, no Head.
        nohead_t, _ = best_of(args.repeat, lambda: plan("torchaudio"))
        # RELKIT_CLI_BEFORE: another relkit binary (e.g. one whose plan Heads
        # one at a time) timed on the same data, its plan checked equal.
        before = os.environ.get("RELKIT_CLI_BEFORE")
        before_t = None
        if before:
            before_t, before_plan = best_of(
                args.repeat, lambda: plan("torch", "torchvision", cli=before))
            if before_plan["copies"] != planned["copies"]:
                sys.exit("RELKIT_CLI_BEFORE planned other copies")
        # The fix proposed for the Heads: the same HeadObjects one at a time
        # (what the plan does today) and 16 at a time, from boto3.
        def heads(threads: int) -> None:
            with concurrent.futures.ThreadPoolExecutor(threads) as pool:
                list(pool.map(lambda k: client.head_object(Bucket="pytorch", Key=k),
                              relkit_keys))
        heads_seq_t, _ = best_of(args.repeat, lambda: heads(1))
        heads_par_t, _ = best_of(args.repeat, lambda: heads(16))
        return {
            "keys": args.keys, "selected": len(relkit_keys), "fill_seconds": round(fill, 1),
            "boto3_list_seconds": list_t, "boto3_list_and_glob_seconds": glob_t,
            "relkit_plan_seconds": plan_t, "relkit_plan_no_head_seconds": nohead_t,
            "plan_over_list": plan_t / list_t, "plan_no_head_over_list": nohead_t / list_t,
            "head_seconds_estimate": plan_t - nohead_t,
            "boto3_heads_sequential_seconds": heads_seq_t,
            "boto3_heads_16_threads_seconds": heads_par_t,
            "relkit_before_plan_seconds": before_t,
            "before_over_list": before_t / list_t if before_t else None,
        }
    finally:
        moto.stop()


# -- copy ---------------------------------------------------------------------


def boto3_promote(client: Any, src: str, dst: str, patterns: list[str],
                  threads: int) -> int:
    """`aws s3 cp s3://src/whl/test/ s3://dst/whl/ --recursive --acl public-read
    --metadata-directive COPY --exclude '*' --include P...`: list, filter, one
    CopyObject per match, `threads` at once. Returns the number copied."""
    keys = glob_select([o["Key"] for o in boto3_list(client, src, "whl/test/")],
                       "whl/test/", patterns)

    def copy(key: str) -> None:
        client.copy_object(Bucket=dst, Key="whl/" + key[len("whl/test/"):],
                           CopySource={"Bucket": src, "Key": key},
                           ACL="public-read", MetadataDirective="COPY")

    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        list(pool.map(copy, keys))
    return len(keys)


def boto3_set_checksums(client: Any, bucket: str, keys: list[str], threads: int) -> None:
    """promote.sh's last step, `manage_v2.py --set-checksum`: download each
    promoted object, sha256 it, and copy it onto itself with
    `checksum-sha256` metadata (REPLACE), `threads` at once."""

    def one(key: str) -> None:
        body = client.get_object(Bucket=bucket, Key=key)["Body"].read()
        client.copy_object(Bucket=bucket, Key=key, CopySource={"Bucket": bucket, "Key": key},
                           Metadata={"checksum-sha256": hashlib.sha256(body).hexdigest()},
                           MetadataDirective="REPLACE", ACL="public-read")

    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        list(pool.map(one, keys))


def bucket_state(client: Any, bucket: str) -> dict[str, Any]:
    """Every object of `bucket`: size, ETag, metadata and whether all users
    may read it."""
    state: dict[str, Any] = {}
    for o in boto3_list(client, bucket, ""):
        head = client.head_object(Bucket=bucket, Key=o["Key"])
        acl = client.get_object_acl(Bucket=bucket, Key=o["Key"])
        public = any(g["Grantee"].get("URI", "").endswith("/AllUsers") and
                     g["Permission"] == "READ" for g in acl["Grants"])
        state[o["Key"]] = (o["Size"], o["ETag"], head.get("Metadata", {}), public)
    return state


def bench_copy(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    moto = Moto(work)
    try:
        client = s3_client(moto.endpoint, pool=16)
        # As in production (s3://pytorch/whl/test -> s3://pytorch/whl), each
        # run promotes inside one bucket, so both tools copy server side; each
        # run has a bucket of its own holding the same test channel.
        buckets = ("pytorch-boto3", "pytorch-boto3-seq", "pytorch-boto3-sum",
                   *(f"pytorch-relkit-j{j}" for j in args.relkit_jobs))
        for b in buckets:
            client.create_bucket(Bucket=b)
        rng = random.Random(11)
        keys = list(wheel_keys("torch", TORCH, "whl/test/"))
        keys += list(wheel_keys("torchvision", TORCHVISION, "whl/test/"))
        keys += list(wheel_keys("torchaudio", "2.9.1", "whl/test/"))
        keys = keys[:args.objects]
        if len(keys) < args.objects:
            sys.exit(f"the generator makes only {len(keys)} objects")
        # Mixed small sizes: 1 KiB to 256 KiB, log-uniform.
        objects = {k: rng.randbytes(int(2 ** rng.uniform(10, 18))) for k in keys}
        # A few unrelated files that the promotion must leave alone.
        objects.update({"whl/test/cpu/torch-2.8.0+cpu-cp312-cp312-linux_x86_64.whl": b"old"})
        fill = sum(put_all(client, b, objects) for b in buckets)
        (work / "release_versions.sh").write_text(VERSIONS_SH)
        patterns = [f"*torch-{TORCH}*", f"*torchvision-{TORCHVISION}*", "*torchaudio-2.9.1*"]

        boto3_t, copied = timed(lambda: boto3_promote(client, "pytorch-boto3", "pytorch-boto3",
                                                      patterns, threads=10))
        seq_t, _ = timed(lambda: boto3_promote(client, "pytorch-boto3-seq", "pytorch-boto3-seq",
                                               patterns, threads=1))
        # The whole of promote.sh's S3 side: the copy, then the checksums.
        def copy_and_checksums() -> int:
            n = boto3_promote(client, "pytorch-boto3-sum", "pytorch-boto3-sum", patterns,
                              threads=10)
            promoted = [o["Key"] for o in boto3_list(client, "pytorch-boto3-sum", "whl/")
                        if not o["Key"].startswith("whl/test/")]
            boto3_set_checksums(client, "pytorch-boto3-sum", promoted, threads=10)
            return n

        sum_t, _ = timed(copy_and_checksums)
        result: dict[str, Any] = {
            "boto3_copy_and_set_checksum_10_threads_seconds": sum_t,
            "objects": copied, "bytes": sum(len(objects[k]) for k in keys),
            "fill_seconds": round(fill, 1), "boto3_10_threads_seconds": boto3_t,
            "boto3_sequential_seconds": seq_t,
        }
        expected = bucket_state(client, "pytorch-boto3")
        for jobs in args.relkit_jobs:
            bucket = f"pytorch-relkit-j{jobs}"
            # --no-index: the AWS CLI writes no index pages (manage_v2.py does,
            # in another step), so the timed work is the same.
            cmd = ["promote", "--versions", str(work / "release_versions.sh"),
                   "--from", f"s3://{bucket}/whl/test", "--to", f"s3://{bucket}/whl",
                   "--package", "torch", "--package", "torchvision",
                   "--package", "torchaudio", "--allow-incomplete", "--json", "--no-index"]
            # The dry run alone (list, select, a Head per file): the part of
            # --execute's time that is planning.
            plan_t, r = timed(lambda: run_relkit(cmd, moto.endpoint))
            if r.returncode != 0:
                sys.exit(f"relkit promote failed ({r.returncode}): {r.stderr}")
            execute = [*cmd, "--execute", "--jobs", str(jobs),
                       "--journal", str(work / f"journal-j{jobs}.jsonl")]
            relkit_t, r = timed(lambda: run_relkit(execute, moto.endpoint))
            if r.returncode == 2 and "not implemented" in r.stderr:
                result["relkit"] = "relkit --execute not available yet"
                return result
            if r.returncode != 0:
                sys.exit(f"relkit promote --execute failed ({r.returncode}): {r.stderr}")
            # A second run: "already applied" from the journal, nothing copied.
            rerun_t, r = timed(lambda: run_relkit(execute, moto.endpoint))
            if r.returncode != 0:
                sys.exit(f"relkit promote --execute rerun failed ({r.returncode}): {r.stderr}")
            result[f"relkit_jobs{jobs}_plan_seconds"] = plan_t
            result[f"relkit_jobs{jobs}_execute_seconds"] = relkit_t
            result[f"relkit_jobs{jobs}_rerun_seconds"] = rerun_t
            result[f"relkit_jobs{jobs}_speedup_vs_boto3_10_threads"] = boto3_t / relkit_t
            result[f"relkit_jobs{jobs}_speedup_vs_boto3_copy_and_checksums"] = sum_t / relkit_t
            got = bucket_state(client, bucket)
            if expected.keys() != got.keys():
                sys.exit(f"different keys: {len(expected)} by boto3, {len(got)} by relkit")
            for k, (size, etag, _meta, public) in expected.items():
                g = got[k]
                # relkit adds checksum-sha256 metadata; the content must be equal.
                if (g[0], g[1], g[3]) != (size, etag, public):
                    sys.exit(f"{k}: boto3 {size, etag, public}, relkit {g[0], g[1], g[3]}")
            # And the checksums equal those promote.sh's last step sets.
            summed = bucket_state(client, "pytorch-boto3-sum")
            for k, (_size, _etag, meta, _public) in summed.items():
                if not k.startswith("whl/test/") and \
                        meta.get("checksum-sha256") != got[k][2].get("checksum-sha256"):
                    sys.exit(f"{k}: checksum-sha256 differs from manage_v2.py's")
        result["buckets_equal"] = True
        return result
    finally:
        moto.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="bench", required=True)
    p = sub.add_parser("plan")
    p.add_argument("--keys", type=int, default=100_000)
    p.add_argument("--repeat", type=int, default=3)
    c = sub.add_parser("copy")
    c.add_argument("--objects", type=int, default=2_000)
    # relkit's --jobs for each timed --execute (a fresh bucket each); 10 is
    # the AWS CLI's max_concurrent_requests, the fair comparison.
    c.add_argument("--relkit-jobs", type=int, nargs="+", default=[10])
    for s in (p, c):
        s.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="relkit-promotion-bench-") as tmp:
        result = (bench_plan if args.bench == "plan" else bench_copy)(args, Path(tmp))
    result["machine"] = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    if args.json:
        print(json.dumps(result, indent=2))
        return
    for k, v in result.items():
        print(f"{k:32} {v:.3f}" if isinstance(v, float) else f"{k:32} {v}")


if __name__ == "__main__":
    main()

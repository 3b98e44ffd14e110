#!/usr/bin/env python3
"""Runs the malformed inputs of generate_inputs.py through `ossify` and
asserts that each is refused cleanly (issue 15).

    run_fuzz.py --ossify BIN --workdir DIR --ranks N [--mpiexec M]
                [--shard K/M] [--category C ...] [--id TEXT ...] [--seed S]
                [--timeout SECONDS] [--memory-limit-mb MB]

The inputs are generated afresh into DIR/inputs (from --seed and the
binary's parameter list). For every input:

  * the exit code is the one recorded (2 bad input, 3 computation or I/O
    failure);
  * stderr holds exactly one line starting "ossify: error:", and it
    contains the recorded substrings (the parameter, section or file at
    fault; case ignored);
  * neither stdout nor stderr shows a crash or an MPI abort ("Traceback",
    "Stacktrace", "terminate called", "MPI_ABORT", "prterun",
    "mpiexec noticed", "Signal:");
  * it ends within --timeout seconds (else it is killed and fails) and
    within --memory-limit-mb of address space per process;
  * an input refused before running leaves its directory exactly as it
    was (no output directory); a refused restart leaves the earlier run's
    output directory byte for byte as it was (every file hashed before and
    after: run.log, statistics.txt and the checkpoint included); a run that
    failed while running leaves healing.csv with whole lines only, and
    summary.txt saying that it stopped, where the record asks for it.

The restart inputs damage copies of ONE real healing run with a checkpoint
every day, made at the start by running the reference case on --ranks
ranks. Inputs with a file-size limit run as `bash -c 'ulimit -f N; exec
...'` around the whole command (mpiexec included), with the environment
their record gives (PMIx's hash store and the TCP BTL: MPI's own
shared-memory files would hit the limit first). Prints one line per input
and the tally "N inputs, K clean, F failed on R rank(s)"; exits with 1 if
any input failed.
"""
import argparse
import hashlib
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import time

# no __pycache__ in the source tree
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import generate_inputs  # noqa: E402
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "postprocessing"))
from ossifypy import launch  # noqa: E402

FORBIDDEN = ("Traceback", "Stacktrace", "terminate called", "MPI_ABORT", "prterun",
             "mpiexec noticed", "Signal:")
ERROR_PREFIX = "ossify: error:"


class PrepareError(Exception):
    """An input that could not be set up (e.g. the checkpoint lacks the
    file it damages): the input fails, with this reason."""


# --------------------------------------------------------------------------
# running ossify
# --------------------------------------------------------------------------

def ossify_command(args, record):
    """The command line of one input (mpiexec around it for several
    ranks, bash with `ulimit -f` around that for a file-size limit)."""
    action = {"validate": ["--validate"], "run": ["run"],
              "restart": ["run", "--restart"]}[record["command"]]
    command = launch.command(args.ossify, action + [record["case"]], args.ranks,
                             args.mpiexec)
    if "ulimit_f" in record:
        command = ["bash", "-c", 'ulimit -f "$0" && exec "$@"',
                   str(record["ulimit_f"])] + command
    return command


def run_command(command, cwd, timeout, memory_limit_mb, env=None):
    """Runs a command in its own process group with an address-space limit
    per process and `env` added to the environment; kills the group after
    `timeout` seconds. Returns (exit code or None when killed, stdout,
    stderr, seconds)."""
    def limit():
        if memory_limit_mb:
            size = memory_limit_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (size, size))
    start = time.monotonic()
    environment = dict(os.environ, **(env or {}))
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, start_new_session=True,
                               preexec_fn=limit, env=environment)
    try:
        out, err = process.communicate(timeout=timeout)
        code = process.returncode
    except subprocess.TimeoutExpired:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        out, err = process.communicate()
        code = None
    seconds = time.monotonic() - start
    return (code, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"),
            seconds)


# --------------------------------------------------------------------------
# the state of a directory
# --------------------------------------------------------------------------

def snapshot(directory):
    """{relative path: sha256 of the file, or "<dir>", or "<link> target"}
    of everything below a directory."""
    state = {}
    for root, dirs, files in os.walk(directory):
        for name in dirs + files:
            path = os.path.join(root, name)
            key = os.path.relpath(path, directory)
            if os.path.islink(path):
                state[key] = "<link> " + os.readlink(path)
            elif os.path.isdir(path):
                state[key] = "<dir>"
            else:
                digest = hashlib.sha256()
                with open(path, "rb") as f:
                    for block in iter(lambda: f.read(1 << 20), b""):
                        digest.update(block)
                state[key] = digest.hexdigest()
    return state


def differences(before, after, limit=6):
    """What changed between two snapshots, as short phrases."""
    changes = []
    for key in sorted(set(before) | set(after)):
        if key not in before:
            changes.append(f"created {key}")
        elif key not in after:
            changes.append(f"removed {key}")
        elif before[key] != after[key]:
            changes.append(f"changed {key}")
    if len(changes) > limit:
        changes = changes[:limit] + [f"... {len(changes) - limit} more"]
    return changes


# --------------------------------------------------------------------------
# restart inputs
# --------------------------------------------------------------------------

def make_reference_run(args, inputs_dir):
    """Runs the reference healing case once (3 days, a checkpoint every
    day) on --ranks ranks; returns its output directory or raises
    PrepareError."""
    directory = os.path.join(args.workdir, "reference")
    os.makedirs(directory)
    record = {"command": "run",
              "case": os.path.join(inputs_dir, "common", "restart_case.prm")}
    code, out, err, seconds = run_command(ossify_command(args, record), directory,
                                          args.timeout, args.memory_limit_mb)
    output = os.path.join(directory, "output")
    print(f"reference run for the restart inputs: exit {code}, {seconds:.1f} s", flush=True)
    if code != 0 or not os.path.isfile(os.path.join(output, "checkpoint", "header.txt")):
        raise PrepareError("the reference healing run failed (exit "
                           f"{code}): {(err or out).strip()[-500:]}")
    return output


def checkpoint_file(checkpoint, name):
    """The path of a checkpoint file; cells_first / cells_last are the
    lowest and highest rank's cells_<rank>.bin."""
    if name in ("cells_first", "cells_last"):
        cells = sorted((f for f in os.listdir(checkpoint) if re.fullmatch(r"cells_\d+\.bin", f)),
                       key=lambda f: int(re.findall(r"\d+", f)[0]))
        if not cells:
            raise PrepareError("the checkpoint has no cells_<rank>.bin")
        name = cells[0] if name == "cells_first" else cells[-1]
    path = os.path.join(checkpoint, name)
    if not os.path.isfile(path):
        raise PrepareError(f"the checkpoint has no file {name}")
    return path


def edit_header(checkpoint, mutation):
    """Changes, removes, duplicates or adds lines of header.txt."""
    path = checkpoint_file(checkpoint, "header.txt")
    with open(path, "rb") as f:
        lines = f.read().decode("latin-1").splitlines(keepends=True)
    op, key = mutation["op"], mutation.get("key")
    index = [i for i, line in enumerate(lines) if line.split(" ", 1)[0] == key]
    if op == "header_set":
        if index:
            lines[index[0]] = f"{key} {mutation['value']}\n"
        else:
            lines.append(f"{key} {mutation['value']}\n")
    elif op == "header_delete":
        if not index:
            raise PrepareError(f"header.txt has no entry '{key}'")
        del lines[index[0]]
    elif op == "header_duplicate":
        if not index:
            raise PrepareError(f"header.txt has no entry '{key}'")
        lines.insert(index[0] + 1, lines[index[0]])
    elif op == "header_append":
        lines.append(mutation["text"])
    with open(path, "wb") as f:
        f.write("".join(lines).encode("latin-1"))
    return "header.txt"


def mutate(output, mutation):
    """Damages the copied output directory as the record says; returns the
    name of the file damaged (for "{file}" in the expectation)."""
    checkpoint = os.path.join(output, "checkpoint")
    op = mutation["op"]
    if op == "none":
        return "checkpoint"
    if op.startswith("header_"):
        return edit_header(checkpoint, mutation)
    if op == "delete_dir":
        shutil.rmtree(checkpoint)
        return "checkpoint"
    if op == "rename_dir":
        os.rename(checkpoint, os.path.join(output, mutation["to"]))
        return mutation["to"]
    if op == "empty_dir":
        shutil.rmtree(checkpoint)
        os.makedirs(checkpoint)
        return "checkpoint"
    if op == "dir_to_file":
        shutil.rmtree(checkpoint)
        with open(checkpoint, "w") as f:
            f.write("not a checkpoint\n")
        return "checkpoint"
    path = checkpoint_file(checkpoint, mutation["file"])
    name = os.path.basename(path)
    with open(path, "rb") as f:
        data = bytearray(f.read())
    if op in ("flip", "bit"):
        if not data:
            raise PrepareError(f"{name} is empty")
        position = int(mutation["at"] * (len(data) - 1))
        data[position] ^= 0xFF if op == "flip" else 0x01
    elif op == "digit":
        digits = [i for i, b in enumerate(data) if 0x30 <= b <= 0x39]
        if not digits:
            raise PrepareError(f"{name} has no digits")
        position = digits[int(mutation["at"] * (len(digits) - 1))]
        data[position] = 0x30 + (data[position] - 0x30 + 1) % 10
    elif op == "truncate":
        del data[int(mutation["at"] * len(data)):]
    elif op == "delete":
        os.remove(path)
        return name
    elif op == "append":
        data += bytes((37 * i + 11) % 256 for i in range(mutation["bytes"]))
    elif op == "append_text":
        data += mutation["text"].encode()
    elif op == "crlf":
        data = bytearray(bytes(data).replace(b"\n", b"\r\n"))
    else:
        raise PrepareError(f"unknown mutation {op}")
    with open(path, "wb") as f:
        f.write(data)
    return name


# --------------------------------------------------------------------------
# checks
# --------------------------------------------------------------------------

def find_files(directory, name):
    """Every file called `name` below a directory."""
    return [os.path.join(root, name) for root, _, files in os.walk(directory) if name in files]


def check_partial(directory, checks):
    """What a run that failed while running must have left: whole lines in
    healing.csv, a summary.txt that says the run stopped."""
    problems = []
    if "healing_csv_complete" in checks:
        for path in find_files(directory, "healing.csv"):
            with open(path, "rb") as f:
                data = f.read()
            if data and not data.endswith(b"\n"):
                problems.append(f"{os.path.relpath(path, directory)} ends in a partial line")
            lines = data.decode("utf-8", "replace").splitlines()
            if lines:
                width = lines[0].count(",")
                short = [i + 1 for i, line in enumerate(lines) if line.count(",") != width]
                if short:
                    problems.append(f"{os.path.relpath(path, directory)}: lines {short[:5]} "
                                    f"do not have the header's {width + 1} fields")
    if "summary_stopped" in checks:
        summaries = find_files(directory, "summary.txt")
        if not summaries:
            problems.append("no summary.txt saying where the run stopped")
        for path in summaries:
            with open(path, errors="replace") as f:
                if not re.search(r"stopped", f.read(), re.IGNORECASE):
                    problems.append(f"{os.path.relpath(path, directory)} does not say "
                                    "that the run stopped")
    return problems


def check_result(record, code, out, err, expect):
    """The assertions on exit code, error line and crash markers."""
    problems = []
    if code is None:
        problems.append("timed out (killed)")
    elif code != record["exit"]:
        problems.append(f"exit code {code}, expected {record['exit']}")
    errors = [line for line in err.splitlines() if line.startswith(ERROR_PREFIX)]
    if len(errors) != 1:
        problems.append(f"{len(errors)} '{ERROR_PREFIX}' lines, expected exactly one")
    line = errors[0] if errors else ""
    for text in expect:
        if text.lower() not in line.lower():
            problems.append(f"error line does not contain '{text}'")
    if record["expect_any"] and not any(t.lower() in line.lower()
                                        for t in record["expect_any"]):
        problems.append("error line contains none of " +
                        ", ".join(f"'{t}'" for t in record["expect_any"]))
    for marker in FORBIDDEN:
        if marker in out or marker in err:
            problems.append(f"'{marker}' in the output")
    return problems, errors


# --------------------------------------------------------------------------
# one input
# --------------------------------------------------------------------------

def run_input(args, record, inputs_dir, reference):
    """Prepares, runs and checks one input; returns a result dict."""
    directory = os.path.join(inputs_dir, record["id"])
    command = ossify_command(args, record)
    result = {"id": record["id"], "category": record["category"],
              "command": " ".join(command), "problems": [], "errors": [],
              "exit": None, "seconds": 0.0, "stderr": ""}
    expect = list(record["expect"])
    try:
        if record["command"] == "restart":
            if isinstance(reference, PrepareError):
                raise reference
            output = os.path.join(directory, "output")
            shutil.copytree(reference, output, symlinks=True)
            damaged = mutate(output, record["mutation"])
            expect = [e.replace("{file}", damaged) for e in expect]
    except PrepareError as e:
        result["problems"].append(f"input not prepared: {e}")
        return result
    before = snapshot(directory)
    code, out, err, seconds = run_command(command, directory, args.timeout,
                                          args.memory_limit_mb, record.get("env"))
    result.update(exit=code, seconds=seconds, stderr=err)
    problems, errors = check_result(record, code, out, err, expect)
    result["errors"] = errors
    if record["output"] in ("none", "unchanged"):
        changes = differences(before, snapshot(directory))
        if changes:
            what = "the earlier run's output changed" if record["output"] == "unchanged" \
                else "left behind"
            problems.append(f"{what}: " + "; ".join(changes))
    elif record["output"] == "partial":
        problems += check_partial(directory, record["checks"])
    result["problems"] = problems
    return result


def report_line(result):
    """One line (two for a failure) about an input."""
    line = result["errors"][0] if result["errors"] else ""
    head = f"{result['id']} [{result['exit']}, {result['seconds']:.1f} s]"
    if not result["problems"]:
        return f"ok   {head}: {line}"
    text = f"FAIL {head}: {'; '.join(result['problems'])}\n     command: {result['command']}"
    stderr = [s for s in result["stderr"].splitlines() if s.strip()]
    if stderr:
        shown = [s[:300] for s in stderr[-8:]]
        text += "\n     stderr: " + "\n             ".join(shown)
    return text


# --------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------

def in_shard(index, shard, option="--shard"):
    """Whether input @p index (0-based) is in shard K/M (1-based, every
    M-th starting at the K-th)."""
    k, m = (int(x) for x in shard.split("/"))
    if not 1 <= k <= m:
        raise SystemExit(f"{option} {shard}: K must lie in 1..M")
    return index % m == k - 1


def select(records, shard, categories, ids, except_shard=None):
    """The records of the given categories and with ids containing one of
    the given texts; of those, the ones not in @p except_shard, and of
    these, the ones in @p shard."""
    chosen = [r for r in records
              if (not categories or r["category"] in categories)
              and (not ids or any(i in r["id"] for i in ids))]
    if except_shard:
        chosen = [r for i, r in enumerate(chosen)
                  if not in_shard(i, except_shard, "--except-shard")]
    if shard:
        chosen = [r for i, r in enumerate(chosen) if in_shard(i, shard)]
    return chosen


def preflight(args, inputs_dir, records):
    """The shared valid cases must pass, or no refusal means anything."""
    cases = ["tiny.prm", "gmsh_case.prm"]
    if any(r["category"] == "catalyst" for r in records):
        cases.append("catalyst_case.prm")
    problems = []
    for case in cases:
        record = {"command": "validate", "case": case}
        code, out, err, _ = run_command(ossify_command(args, record),
                                        os.path.join(inputs_dir, "common"), args.timeout,
                                        args.memory_limit_mb)
        if code != 0:
            problems.append(f"common/{case} does not validate (exit {code}): "
                            f"{(err or out).strip()[-500:]}")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ossify", required=True, help="the ossify executable")
    parser.add_argument("--workdir", required=True, help="emptied, then holds everything")
    parser.add_argument("--ranks", type=int, default=1)
    parser.add_argument("--mpiexec", default="mpiexec")
    parser.add_argument("--shard", help="K/M: run every M-th input starting at the K-th")
    parser.add_argument("--except-shard",
                        help="K/M: leave out that shard first (CI runs it on the other rank "
                             "count), then apply --shard to the rest")
    parser.add_argument("--category", action="append", default=[],
                        choices=generate_inputs.CATEGORIES, help="only these categories")
    parser.add_argument("--id", action="append", default=[],
                        help="only inputs whose id contains this text")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="seconds before an input is killed and failed")
    parser.add_argument("--memory-limit-mb", type=int, default=4096,
                        help="address space per process (0: none)")
    parser.add_argument("--catalyst", choices=("auto", "yes", "no"), default="auto")
    args = parser.parse_args()
    args.ossify = os.path.abspath(args.ossify)
    args.workdir = os.path.abspath(args.workdir)

    start = time.monotonic()
    shutil.rmtree(args.workdir, ignore_errors=True)
    os.makedirs(args.workdir)
    inputs_dir = os.path.join(args.workdir, "inputs")
    records = generate_inputs.generate(inputs_dir, args.seed, ossify=args.ossify,
                                       catalyst=args.catalyst)
    chosen = select(records, args.shard, args.category, args.id, args.except_shard)
    print(f"{len(chosen)} of {len(records)} inputs (seed {args.seed}) on {args.ranks} "
          f"rank(s)", flush=True)
    problems = preflight(args, inputs_dir, chosen)
    if problems:
        print("FAIL preflight: " + "\n".join(problems))
        return 1
    reference = None
    if any(r["command"] == "restart" for r in chosen):
        try:
            reference = make_reference_run(args, inputs_dir)
        except PrepareError as e:
            reference = e

    results = []
    for record in chosen:
        result = run_input(args, record, inputs_dir, reference)
        results.append(result)
        print(report_line(result), flush=True)
    with open(os.path.join(args.workdir, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    failed = sum(1 for r in results if r["problems"])
    total = time.monotonic() - start
    print(f"{len(results)} inputs, {len(results) - failed} clean, {failed} failed on "
          f"{args.ranks} rank(s) ({total:.0f} s)")
    return 1 if failed or not results else 0


if __name__ == "__main__":
    sys.exit(main())

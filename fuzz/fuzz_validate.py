"""Fuzz `reportc validate`: any bytes as a report source must end in diagnostics, never in an
exception. Any exception (a diagnostic is a value, not an exception) is a bug in reportc.

    python fuzz/fuzz_validate.py --seconds 600        # atheris (libFuzzer) when installed,
                                                       # else hypothesis, for ten minutes

Seeds are the sample sources and the diagnostics test cases. With atheris, new interesting
inputs are kept in build/fuzz/corpus and a crashing input is written to build/fuzz/crash-*;
run it again with `python fuzz/fuzz_validate.py build/fuzz/crash-...` to reproduce.
"""
from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "build" / "fuzz"
DIAGNOSTIC = re.compile(r"[^\n]+:\d+:\d+: (error|warning): [^\n]+")


def seeds() -> list[bytes]:
    files = sorted((ROOT / "sources").glob("**/*.yaml")) + sorted((ROOT / "tests" / "diagnostics").glob("*.yaml"))
    return [path.read_bytes() for path in files]


class Target:
    """The validate path of the pipeline (load, schema check, style, model) on one input."""

    def __init__(self) -> None:
        from compiler.source.paths import Roots
        from compiler.style.loader import StyleLoader

        self.project = Path(tempfile.mkdtemp(prefix="reportc-fuzz-"))
        (self.project / "sources").mkdir()
        self.source = self.project / "sources" / "fuzz.yaml"
        self.roots = Roots.at(self.project)
        self.styles = StyleLoader(self.roots)  # shared, as in a batch: styles load once

    def __call__(self, data: bytes) -> None:
        from compiler.build.load import load_report

        self.source.write_bytes(data)
        loaded = load_report(self.source, self.roots, self.styles)
        for diagnostic in loaded.diagnostics:
            line = diagnostic.format()
            if not DIAGNOSTIC.fullmatch(line) or diagnostic.span.line < 1 or diagnostic.span.col < 1:
                raise AssertionError(f"malformed diagnostic: {line!r}")
        if not loaded.diagnostics.has_errors and loaded.report is None:
            raise AssertionError("no report and no error")


def run_atheris(target: Target, seconds: int, inputs: list[str]) -> None:
    import atheris

    corpus = WORK / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for index, seed in enumerate(seeds()):
        (corpus / f"seed-{index}.yaml").write_bytes(seed)
    argv = [sys.argv[0], f"-artifact_prefix={WORK}/", "-max_len=65536", "-timeout=20", "-rss_limit_mb=1024"]
    argv += inputs or [f"-max_total_time={seconds}", str(corpus)]
    atheris.Setup(argv, target)
    atheris.Fuzz()


def run_hypothesis(target: Target, seconds: int) -> None:
    """No atheris: hypothesis mutates the seeds (and makes up bytes) until the time is up."""
    from hypothesis import HealthCheck, given, settings, strategies as st

    pieces = st.sampled_from([b"\x00", b"\xff", b"\xef\xbb\xbf", b"\t", b"\r", b": ", b"- ", b"[", b"{", b"*",
                              b"&a ", b"!!python/object ", b"<<: ", b'"\\uD800"', b"#", b"\n  ", b"|\n"])
    seed = st.sampled_from(seeds())

    @st.composite
    def mutated(draw) -> bytes:
        data = bytearray(draw(seed))
        for _ in range(draw(st.integers(0, 8))):
            at = draw(st.integers(0, len(data)))
            choice = draw(st.integers(0, 2))
            if choice == 0:
                data[at:at] = draw(pieces)
            elif choice == 1:
                del data[at:at + draw(st.integers(1, 40))]
            else:
                data[at:at] = draw(st.binary(max_size=16))
        return bytes(data)

    @settings(max_examples=1000, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(st.one_of(mutated(), st.binary(max_size=2048)))
    def fuzz(data: bytes) -> None:
        target(data)

    stop = time.monotonic() + seconds
    rounds = 0
    while time.monotonic() < stop:
        fuzz()
        rounds += 1
    print(f"fuzz_validate: {rounds * 1000} inputs in {seconds} s (hypothesis), no failures")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=60, help="how long to fuzz (default: 60)")
    parser.add_argument("--engine", choices=("auto", "atheris", "hypothesis"), default="auto")
    parser.add_argument("inputs", nargs="*", help="with atheris: run only these inputs (reproduce a crash)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    engine = args.engine
    if engine == "auto":
        try:
            import atheris  # noqa: F401
            engine = "atheris"
        except ImportError:
            engine = "hypothesis"
    if engine == "atheris":
        import atheris

        with atheris.instrument_imports(include=["compiler", "yaml"]):
            target = Target()
            from compiler.build import load  # noqa: F401
            from compiler.source import markup, schemacheck, validate, yamltree  # noqa: F401
            from compiler.style import loader  # noqa: F401
        run_atheris(target, args.seconds, args.inputs)
    else:
        run_hypothesis(Target(), args.seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())

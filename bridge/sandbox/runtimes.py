"""The eight languages: where their toolchains live on this host and how to build and run them."""

from __future__ import annotations

import glob
import os
import re
import subprocess
from dataclasses import dataclass, field
from functools import partial
from typing import Callable, Dict, List, Optional, Tuple

# Seed 004 maxima (memory MiB, cores, wall ms) and the seed's default versions.
MAXIMA: Dict[str, Tuple[int, int, int]] = {
    "python": (2048, 4, 60000),
    "javascript": (1536, 4, 30000),
    "ruby": (1024, 2, 30000),
    "go": (1024, 4, 30000),
    "rust": (1024, 4, 30000),
    "java": (2048, 4, 60000),
    "c": (1024, 4, 30000),
    "cpp": (1024, 4, 30000),
}
SEED_DEFAULTS = {
    "python": "3.11",
    "javascript": "18",
    "ruby": "3.1",
    "go": "1.20",
    "rust": "1.70",
    "java": "17",
    "c": "gcc11",
    "cpp": "gcc11",
}
ALIASES: Dict[str, List[str]] = {
    "python": ["py", "python3"],
    "javascript": ["js", "node", "nodejs"],
    "ruby": ["rb"],
    "go": ["golang"],
    "rust": ["rs"],
    "java": [],
    "c": ["gcc"],
    "cpp": ["c++", "cxx", "g++"],
}
COMPILED = {"go", "rust", "java", "c", "cpp"}
INSTALL_HINT = {
    "ruby": "ruby",
    "go": "golang-go",
    "javascript": "nodejs",
    "java": "default-jdk-headless",
    "c": "gcc",
    "cpp": "g++",
    "python": "python3",
    "rust": "rustc",
}


@dataclass(frozen=True)
class RunLimits:
    """Limits of one stage, as the argv builders need them."""

    memory_mb: int
    cpu_count: int


ArgvFn = Callable[[str, RunLimits], List[str]]


@dataclass
class Toolchain:
    """One installed version of a language and the recipe to build and run code with it."""

    language: str
    version: str
    binds: List[str]  # host dirs bound read-only at the same path inside the box
    env: Dict[str, str]
    run: ArgvFn  # (main name, limits) -> argv, cwd /box; compiled code sits in /build
    compile: Optional[ArgvFn] = None  # (source file name, limits) -> argv writing into /box/out
    source_name: Callable[[str], str] = field(default=lambda code: "main")
    rlimit_as: bool = False  # only where the runtime tolerates an address-space cap
    identity: str = ""  # the compiler's exact version, part of the build-cache key


def _argv(argv: List[str], main: str, lim: RunLimits) -> List[str]:
    """A run command that does not depend on the request."""
    return list(argv)


def _with_source(before: List[str], after: List[str], src: str, lim: RunLimits) -> List[str]:
    """A compile command: fixed words around the source file name."""
    return [*before, src, *after]


def _named(name: str, code: str) -> str:
    return name


def _output(argv: List[str]) -> str:
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=20, check=False).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def _python() -> List[Toolchain]:
    found: Dict[str, Toolchain] = {}
    candidates = sorted(glob.glob("/usr/bin/python3.[0-9]*")) + sorted(
        glob.glob("/root/.pyenv/versions/3.*/bin/python3.[0-9]*") + glob.glob("/usr/local/bin/python3.[0-9]*")
    )
    for path in candidates:
        m = re.search(r"python(3\.\d+)$", path)
        if not m or m.group(1) in found or not os.access(path, os.X_OK):
            continue
        prefix = os.path.dirname(os.path.dirname(os.path.realpath(path)))
        binds = [] if prefix.startswith("/usr") else [prefix]
        found[m.group(1)] = Toolchain(
            "python",
            m.group(1),
            binds,
            {"PYTHONUNBUFFERED": "1", "PYTHONDONTWRITEBYTECODE": "1"},
            run=partial(_argv, [path, "-u", "-B", "main.py"]),
            source_name=partial(_named, "main.py"),
            identity=path,
        )
    return list(found.values())


def _node() -> List[Toolchain]:
    path = "/usr/bin/node"
    version = _output([path, "--version"]) if os.access(path, os.X_OK) else ""
    if not version.startswith("v"):
        return []
    return [
        Toolchain(
            "javascript",
            version[1:].split(".")[0],
            [],
            {},
            run=lambda main, lim: [
                path,
                f"--max-old-space-size={max(16, lim.memory_mb * 3 // 4)}",
                "main.js",
            ],
            source_name=partial(_named, "main.js"),
            identity=version,
        )
    ]


def _ruby() -> List[Toolchain]:
    path = "/usr/bin/ruby"
    version = _output([path, "-e", "print RUBY_VERSION"]) if os.access(path, os.X_OK) else ""
    if not version:
        return []
    return [
        Toolchain(
            "ruby",
            ".".join(version.split(".")[:2]),
            [],
            {},
            run=lambda main, lim: [path, "main.rb"],
            source_name=partial(_named, "main.rb"),
            identity=version,
        )
    ]


def _go() -> List[Toolchain]:
    found: List[Toolchain] = []
    for goroot in [*sorted(glob.glob("/usr/lib/go-1.*")), "/usr/local/go"]:
        text = _read_file(os.path.join(goroot, "VERSION"))
        m = re.match(r"go(\d+\.\d+)", text)
        if not m or not os.access(f"{goroot}/bin/go", os.X_OK):
            continue
        env = {
            "GOROOT": goroot,
            "GOCACHE": "/tmp/gocache",
            "GOPATH": "/tmp/gopath",
            "GO111MODULE": "off",
            "CGO_ENABLED": "0",
            "GOTOOLCHAIN": "local",
            "GOTELEMETRY": "off",
            "GOFLAGS": "-buildvcs=false",
        }
        found.append(
            Toolchain(
                "go",
                m.group(1),
                [] if goroot.startswith("/usr/") else [goroot],
                env,
                compile=partial(_with_source, [f"{goroot}/bin/go", "build", "-o", "/box/out/main"], []),
                run=partial(_argv, ["/build/main"]),
                source_name=partial(_named, "main.go"),
                identity=text.split()[0] if text else goroot,
            )
        )
    return found


def _rust() -> List[Toolchain]:
    found: Dict[str, Toolchain] = {}
    for rustc in [*sorted(glob.glob("/root/.rustup/toolchains/stable-*/bin/rustc")), "/usr/bin/rustc"]:
        version = _output([rustc, "--version"]) if os.access(rustc, os.X_OK) else ""
        m = re.match(r"rustc (\d+\.\d+)", version)
        if not m or m.group(1) in found:
            continue
        home = os.path.dirname(os.path.dirname(rustc))
        found[m.group(1)] = Toolchain(
            "rust",
            m.group(1),
            [] if home.startswith("/usr") else [home],
            {},
            compile=partial(_with_source, [rustc, "-C", "debuginfo=0", "-o", "/box/out/main"], []),
            run=partial(_argv, ["/build/main"]),
            source_name=partial(_named, "main.rs"),
            identity=version,
        )
    return list(found.values())


_PUBLIC_CLASS = re.compile(r"public\s+(?:final\s+|abstract\s+)*class\s+([A-Za-z_$][A-Za-z0-9_$]*)")


def _java_main(code: str) -> str:
    m = _PUBLIC_CLASS.search(code)
    return m.group(1) if m else "Main"


JVM_FLAGS = ["-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto"]


def _java_run(home: str, main: str, lim: RunLimits) -> List[str]:
    """java with a heap that fits the cgroup limit and the granted cores (the JVM cannot see the cgroup)."""
    return [
        f"{home}/bin/java",
        *JVM_FLAGS,
        f"-Xmx{max(16, lim.memory_mb // 2)}m",
        f"-XX:ActiveProcessorCount={lim.cpu_count}",
        "-cp",
        "/build",
        main,
    ]


def _java() -> List[Toolchain]:
    found: Dict[str, Toolchain] = {}
    for home in sorted(glob.glob("/usr/lib/jvm/*")):
        if os.path.islink(home):
            continue
        m = re.search(r'JAVA_VERSION="(\d+)', _read_file(os.path.join(home, "release")))
        if not m or m.group(1) in found or not os.access(f"{home}/bin/javac", os.X_OK):
            continue
        binds = [home] + [d for d in glob.glob(f"/etc/java-{m.group(1)}-openjdk") if os.path.isdir(d)]
        found[m.group(1)] = Toolchain(
            "java",
            m.group(1),
            binds,
            {"JAVA_HOME": home},
            compile=partial(
                _with_source,
                [
                    f"{home}/bin/javac",
                    *("-J" + o for o in JVM_FLAGS),
                    "-J-Xmx512m",
                    "-encoding",
                    "UTF-8",
                    "-d",
                    "/box/out",
                ],
                [],
            ),
            run=partial(_java_run, home),
            source_name=lambda code: _java_main(code) + ".java",
            identity=h_id(home),
        )
    return list(found.values())


def h_id(home: str) -> str:
    """A JDK's exact build, from its release file."""
    m = re.search(r'JAVA_RUNTIME_VERSION="([^"]+)"', _read_file(os.path.join(home, "release")))
    return m.group(1) if m else home


def _gcc(language: str) -> List[Toolchain]:
    driver, ext = ("gcc", "c") if language == "c" else ("g++", "cpp")
    found: List[Toolchain] = []
    for path in [f"/usr/bin/{driver}", *sorted(glob.glob(f"/usr/bin/{driver}-[0-9]*"))]:
        version = _output([path, "-dumpversion"]) if os.access(path, os.X_OK) else ""
        if not version:
            continue
        name = f"gcc{version.split('.')[0]}"
        if any(t.version == name for t in found):
            continue
        std = ["-std=c17"] if language == "c" else ["-std=c++17"]
        found.append(
            Toolchain(
                language,
                name,
                [],
                {},
                compile=partial(_with_source, [path, *std, "-O2", "-pipe", "-o", "/box/out/main"], ["-lm"]),
                run=partial(_argv, ["/build/main"]),
                source_name=partial(_named, f"main.{ext}"),
                rlimit_as=True,
                identity=_output([path, "--version"]).splitlines()[0] if version else path,
            )
        )
    return found


def _read_file(path: str) -> str:
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return ""


@dataclass
class Language:
    """A language with the versions found on this host (possibly none, with the reason)."""

    name: str
    toolchains: Dict[str, Toolchain]
    default_version: Optional[str]
    reason: Optional[str]

    @property
    def compiled(self) -> bool:
        return self.name in COMPILED


def _default(name: str, versions: List[str]) -> Optional[str]:
    if not versions:
        return None
    if SEED_DEFAULTS[name] in versions:
        return SEED_DEFAULTS[name]
    return max(versions, key=lambda v: [int(x) for x in re.findall(r"\d+", v)])


def discover() -> Dict[str, Language]:
    """Look for every language's toolchains on this host."""
    finders: Dict[str, Callable[[], List[Toolchain]]] = {
        "python": _python,
        "javascript": _node,
        "ruby": _ruby,
        "go": _go,
        "rust": _rust,
        "java": _java,
        "c": lambda: _gcc("c"),
        "cpp": lambda: _gcc("cpp"),
    }
    languages = {}
    for name, finder in finders.items():
        toolchains = {t.version: t for t in finder()}
        reason = (
            None
            if toolchains
            else (f"no {name} toolchain found on this host (install it, e.g. `apt-get install {INSTALL_HINT[name]}`)")
        )
        languages[name] = Language(name, toolchains, _default(name, list(toolchains)), reason)
    return languages


_DISCOVERED: Optional[Dict[str, Language]] = None


def discover_once() -> Dict[str, Language]:
    """`discover()` once per process: toolchains do not come and go while the service runs."""
    global _DISCOVERED
    if _DISCOVERED is None:
        _DISCOVERED = discover()
    return _DISCOVERED

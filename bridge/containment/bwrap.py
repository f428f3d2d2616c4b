"""The bubblewrap command line of one box: what it sees, as whom it runs, with which fds."""

from __future__ import annotations

import functools
import os
import shutil
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Tuple

# The box's /etc is one read-only bind of a directory the service prepares (see write_etc): a copy of
# these host files beside its own passwd, group and hosts. One mount instead of one per file matters:
# bwrap re-reads the whole mount table for every read-only bind.
ETC_COPIED = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "alternatives")
# Top-level dirs that merged-/usr systems make links into /usr (older ones: real dirs).
USR_SIBLINGS = ("/bin", "/sbin", "/lib", "/lib64", "/lib32")
BOX_PATH = "/usr/local/bin:/usr/bin:/bin"


@dataclass
class BoxLayout:
    """Everything that varies between boxes."""

    argv: List[str]
    env: Dict[str, str]
    ro_binds: List[Tuple[str, str]] = field(default_factory=list)  # (host path, box path)
    files: List[Tuple[int, str]] = field(default_factory=list)  # (fd to copy from, box path), mode 0644
    workdir_bytes: int = 64 << 20
    subdirs: Tuple[str, ...] = ("out",)  # made in /box, writable by the box uid (a compile's output dir)
    status_fd: Optional[int] = None
    # The first process stays root in the box with the capabilities to build a box per child (the tracer's
    # zygote): it must itself drop each child to the box uid and load the seccomp filter before any
    # untrusted code runs. No untrusted code may ever run in the first process.
    keeps_root: bool = False

    def ro_binds_hosts(self) -> List[str]:
        """The host paths shown read-only."""
        return [host for host, _ in self.ro_binds]


def memfd_with(data: bytes, name: str) -> int:
    """An anonymous in-memory file holding `data`, for bwrap's --file/--seccomp (no host path involved)."""
    fd = os.memfd_create(name, os.MFD_CLOEXEC)
    os.write(fd, data)
    os.lseek(fd, 0, os.SEEK_SET)
    return fd


def find_bwrap(configured: str) -> Optional[str]:
    """Absolute path of the bwrap binary, or None."""
    return configured if os.path.isabs(configured) and os.access(configured, os.X_OK) else shutil.which(configured)


def find_setpriv() -> Optional[str]:
    """setpriv (util-linux) drops root to the box uid inside the box."""
    return shutil.which("setpriv", path="/usr/bin:/bin")


@functools.cache
def system_binds() -> Tuple[str, ...]:
    """bwrap arguments for a read-only /usr and the host's /bin, /lib... as they are (links or dirs).

    Shared by every box; the layout does not change while the service runs.
    """
    args: List[str] = ["--ro-bind", "/usr", "/usr"]
    for top in USR_SIBLINGS:
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    return tuple(args)


def build_argv(bwrap: str, setpriv: str, uid: int, etc_dir: str, layout: BoxLayout,
               seccomp_fd: Optional[int] = None) -> List[str]:
    """bwrap argv: fresh namespaces (no network), read-only system, tmpfs work dir, no caps, box uid."""
    size = str(layout.workdir_bytes)
    argv = [
        bwrap,
        # --unshare-all minus the user namespace: bwrap runs as root here, so a user namespace would map
        # the box to host uid 0; instead setpriv below makes the code a real unprivileged uid.
        "--unshare-ipc",
        "--unshare-pid",
        "--unshare-net",
        "--unshare-uts",
        "--unshare-cgroup-try",
        "--die-with-parent",
        "--new-session",
        "--clearenv",
        *system_binds(),
        "--ro-bind",
        etc_dir,
        "/etc",
        "--proc",
        "/proc",
        # The box's own procfs, but its sysctls read-only: a write to kernel.core_pattern, say, would
        # make the kernel run a program as host root. bwrap's own cover of /proc/sys does not always
        # take (seen on bwrap 0.8 as root), so bind it read-only explicitly.
        "--ro-bind",
        "/proc/sys",
        "/proc/sys",
        "--ro-bind-try",
        "/proc/sysrq-trigger",
        "/proc/sysrq-trigger",
        "--dev",
        "/dev",
        "--size",
        size,
        "--tmpfs",
        "/dev/shm",
        "--chmod",
        "1777",
        "/dev/shm",
        "--size",
        size,
        "--tmpfs",
        "/tmp",
        "--chmod",
        "1777",
        "/tmp",
        "--size",
        size,
        "--tmpfs",
        "/box",
        "--chmod",
        "1777",
        "/box",
    ]
    for sub in layout.subdirs:
        argv += ["--dir", f"/box/{sub}", "--chmod", "1777", f"/box/{sub}"]
    # bwrap would create missing parents mode 0700, unreadable to the box uid: make them 0755 first.
    made = {"/", "/usr", "/etc", "/proc", "/dev", "/tmp", "/box"}
    for _, box in layout.ro_binds:
        parts = box.strip("/").split("/")[:-1]
        for i in range(len(parts)):
            d = "/" + "/".join(parts[: i + 1])
            if d not in made:
                made.add(d)
                argv += ["--perms", "0755", "--dir", d]
    for host, box in layout.ro_binds:
        argv += ["--ro-bind", host, box]
    for fd, box in layout.files:
        argv += ["--perms", "0644", "--file", str(fd), box]
    env = {"PATH": BOX_PATH, "HOME": "/box", "TMPDIR": "/tmp", "LANG": "C.UTF-8", "USER": "sandbox"}
    env.update(layout.env)
    for key, value in env.items():
        argv += ["--setenv", key, value]
    if layout.status_fd is not None:
        argv += ["--json-status-fd", str(layout.status_fd)]
    if seccomp_fd is not None:
        argv += ["--seccomp", str(seccomp_fd)]
    argv += ["--chdir", "/box", "--hostname", "sandbox", "--cap-drop", "ALL"]
    if layout.keeps_root:
        # CAP_SYS_ADMIN for each child's own mount and IPC namespaces (fresh tmpfs work dirs); the child
        # drops it with every other capability before it reads its program.
        return [*argv, "--cap-add", "CAP_SYS_ADMIN", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID",
                "--cap-add", "CAP_SETPCAP", "--", *layout.argv]
    argv += [
        "--cap-add",
        "CAP_SETUID",
        "--cap-add",
        "CAP_SETGID",
        "--cap-add",
        "CAP_SETPCAP",
        "--",
        # Root -> box uid: setuid clears every capability; the bounding set is emptied and no_new_privs set,
        # so no setuid binary or file capability can give any back.
        setpriv,
        f"--reuid={uid}",
        f"--regid={uid}",
        "--clear-groups",
        "--bounding-set=-all",
        "--inh-caps=-all",
        "--no-new-privs",
        "--",
        *layout.argv,
    ]
    return argv


def write_etc(etc_dir: str, uid: int, mount_points: Iterable[str] = ()) -> None:
    """The box's /etc: its own passwd, group and hosts (no host account leaks in), copies of what the
    dynamic linker and runtimes read, and empty dirs where toolchain dirs under /etc get bound."""
    os.makedirs(etc_dir, mode=0o755, exist_ok=True)
    files = {
        "passwd": f"root:x:0:0:root:/root:/usr/sbin/nologin\nsandbox:x:{uid}:{uid}:sandbox:/box:/bin/sh\n",
        "group": f"root:x:0:\nsandbox:x:{uid}:\n",
        "hosts": "127.0.0.1 localhost sandbox\n::1 localhost\n",
    }
    for name, text in files.items():
        with open(os.path.join(etc_dir, name), "w") as f:
            f.write(text)
    for name in ETC_COPIED:
        host, copy = os.path.join("/etc", name), os.path.join(etc_dir, name)
        if name == "alternatives" and os.path.isdir(host):
            # Symlinks into /usr: copied as links, never followed here.
            os.makedirs(copy, exist_ok=True)
            for entry in os.scandir(host):
                if entry.is_symlink():
                    os.symlink(os.readlink(entry.path), os.path.join(copy, entry.name))
        elif os.path.isdir(host):
            shutil.copytree(host, copy, dirs_exist_ok=True)
        elif os.path.isfile(host):
            shutil.copyfile(host, copy)
    for path in mount_points:
        os.makedirs(os.path.join(etc_dir, os.path.relpath(path, "/etc")), mode=0o755, exist_ok=True)
    for root, _, names in os.walk(etc_dir):
        os.chmod(root, 0o755)
        for name in names:
            if not os.path.islink(os.path.join(root, name)):
                os.chmod(os.path.join(root, name), 0o644)

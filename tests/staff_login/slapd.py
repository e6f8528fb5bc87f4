"""A real OpenLDAP server for the tests: Debian's slapd, started on a free loopback port
with a temporary configuration (slapd.conf, an mdb database) and a small directory of the
town, then stopped. Outside CI the tests skip with one line when slapd or python-ldap is
missing; in CI (CI=true) they fail instead."""

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

SUFFIX = "dc=mairie,dc=example"
ADMIN_DN = f"cn=admin,{SUFFIX}"
ADMIN_PASSWORD = "secret-de-l-annuaire"
PEOPLE = f"ou=agents,{SUFFIX}"
GROUPS = f"ou=groupes,{SUFFIX}"
SCHOOL_GROUP = f"cn=scolaire,{GROUPS}"
BILLING_GROUP = f"cn=regie,{GROUPS}"
UNMAPPED_GROUP = f"cn=informatique,{GROUPS}"
# Each member's password is their name followed by this.
PASSWORD_SUFFIX = "-Mot2passe!"
SCHEMAS = ("core", "cosine", "inetorgperson", "nis")
SLAPD_CANDIDATES = ("/usr/sbin/slapd", "/usr/local/libexec/slapd")
SLAPADD_CANDIDATES = ("/usr/sbin/slapadd", "/usr/local/sbin/slapadd")
MODULE_DIRS = ("/usr/lib/ldap", "/usr/lib/x86_64-linux-gnu/ldap", "/usr/local/libexec/openldap")


def password_of(name: str) -> str:
    return name + PASSWORD_SUFFIX


def person(uid: str, given: str, family: str) -> str:
    return f"""dn: uid={uid},{PEOPLE}
objectClass: inetOrgPerson
uid: {uid}
cn: {given} {family}
givenName: {given}
sn: {family}
mail: {uid}@mairie.example
userPassword: {password_of(uid)}
"""


def group(dn: str, *members: str) -> str:
    cn = dn.split(",")[0].split("=")[1]
    lines = "".join(f"member: uid={uid},{PEOPLE}\n" for uid in members)
    return f"dn: {dn}\nobjectClass: groupOfNames\ncn: {cn}\n{lines}"


DIRECTORY = "\n".join(
    [
        f"dn: {SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\ndc: mairie\n"
        "o: Mairie de Villeneuve-sur-Example\n",
        f"dn: {PEOPLE}\nobjectClass: organizationalUnit\nou: agents\n",
        f"dn: {GROUPS}\nobjectClass: organizationalUnit\nou: groupes\n",
        person("cmartin", "Claire", "MARTIN"),  # Service scolaire
        person("pdurand", "Paul", "DURAND"),  # Service scolaire and régie
        person("tinformaticien", "Théo", "LEGRAND"),  # a group the portal does not map
        group(SCHOOL_GROUP, "cmartin", "pdurand"),
        group(BILLING_GROUP, "pdurand"),
        group(UNMAPPED_GROUP, "tinformaticien"),
    ]
)


def found(candidates) -> str | None:
    for candidate in candidates:
        if Path(candidate).exists():
            return candidate
    return None


def missing_reason() -> str:
    if found(SLAPD_CANDIDATES) is None or found(SLAPADD_CANDIDATES) is None:
        return "slapd est introuvable (apt-get install slapd ldap-utils)"
    if not all(Path(f"/etc/ldap/schema/{name}.schema").exists() for name in SCHEMAS):
        return "les schémas d'OpenLDAP (/etc/ldap/schema) sont introuvables"
    try:
        import django_auth_ldap  # noqa: F401
        import ldap  # noqa: F401
    except ImportError:
        return 'python-ldap ou django-auth-ldap manque (pip install -e ".[ldap]")'
    return ""


def skip_or_fail_without_slapd() -> None:
    reason = missing_reason()
    if not reason:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI : {reason}, les tests de l'annuaire ne peuvent pas tourner.")
    pytest.skip(f"Annuaire LDAP non testé : {reason}.")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Slapd:
    """One server: its URI, and the means to change the directory, pause or stop it."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.port = free_port()
        self.uri = f"ldap://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def configure(self) -> Path:
        data = self.workdir / "data"
        data.mkdir(parents=True)
        module_dir = found(MODULE_DIRS)
        modules = f"modulepath {module_dir}\nmoduleload back_mdb\n" if module_dir else ""
        includes = "".join(f"include /etc/ldap/schema/{name}.schema\n" for name in SCHEMAS)
        config = self.workdir / "slapd.conf"
        config.write_text(
            f"{includes}pidfile {self.workdir}/slapd.pid\n{modules}"
            f'database mdb\nmaxsize 10485760\nsuffix "{SUFFIX}"\nrootdn "{ADMIN_DN}"\n'
            f"rootpw {ADMIN_PASSWORD}\ndirectory {data}\n"
        )
        ldif = self.workdir / "directory.ldif"
        ldif.write_text(DIRECTORY)
        subprocess.run(
            [found(SLAPADD_CANDIDATES), "-f", str(config), "-l", str(ldif)],
            check=True,
            capture_output=True,
            timeout=30,
        )
        return config

    def start(self) -> None:
        config = self.configure()
        # -d: in the foreground, so that the test owns the process and stops it.
        self.process = subprocess.Popen(
            [found(SLAPD_CANDIDATES), "-f", str(config), "-h", f"{self.uri}/", "-d", "0"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"slapd s'est arrêté : {self.process.stderr.read()!r}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("slapd n'écoute pas après 15 s")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGCONT)  # a paused server must be able to stop
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process.stderr.close()

    def pause(self) -> None:
        """The server hangs: connections are accepted by the kernel, nothing answers."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def modify(self, dn: str, changes: list) -> None:
        """Change the directory as its administrator (python-ldap's modlist)."""
        import ldap

        connection = ldap.initialize(self.uri)
        connection.set_option(ldap.OPT_NETWORK_TIMEOUT, 5)
        connection.set_option(ldap.OPT_TIMEOUT, 5)
        connection.simple_bind_s(ADMIN_DN, ADMIN_PASSWORD)
        try:
            connection.modify_s(dn, changes)
        finally:
            connection.unbind_s()

    def group_remove(self, group_dn: str, uid: str) -> None:
        import ldap

        self.modify(group_dn, [(ldap.MOD_DELETE, "member", [f"uid={uid},{PEOPLE}".encode()])])

    def group_add(self, group_dn: str, uid: str) -> None:
        import ldap

        self.modify(group_dn, [(ldap.MOD_ADD, "member", [f"uid={uid},{PEOPLE}".encode()])])

    def delete(self, dn: str) -> None:
        import ldap

        connection = ldap.initialize(self.uri)
        connection.set_option(ldap.OPT_NETWORK_TIMEOUT, 5)
        connection.simple_bind_s(ADMIN_DN, ADMIN_PASSWORD)
        try:
            connection.delete_s(dn)
        finally:
            connection.unbind_s()


def slapd_for_tests(workdir: Path):
    """Start one; the caller stops it (the fixture does)."""
    server = Slapd(workdir)
    server.start()
    return server


def configure_portal(server: Slapd, *, settings, monkeypatch, roles: str, bind: bool = True):
    """The portal configured for ``server`` as a town would (README), through the same
    reading of the environment as settings.py."""
    from citizen_portal.directory_settings import directory_settings

    environment = {
        "DIRECTORY_URI": server.uri,
        "DIRECTORY_USER_BASE": PEOPLE,
        "DIRECTORY_GROUP_BASE": GROUPS,
        "DIRECTORY_ROLES": roles,
        "DIRECTORY_TIMEOUT": "2",
    }
    if bind:
        environment.update(DIRECTORY_BIND_DN=ADMIN_DN, DIRECTORY_BIND_PASSWORD=ADMIN_PASSWORD)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    for name, value in directory_settings().items():
        setattr(settings, name, value)
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "staff_login.directory.DirectoryBackend",
    ]

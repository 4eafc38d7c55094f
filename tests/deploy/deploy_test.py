#!/usr/bin/env python3
"""Deploy files agree with the code: every manifest parses, and probes, ports,
config paths, config keys, environment overrides and timeouts in
deploy/{k8s,systemd,grafana,Dockerfile} match what newsd declares.

usage: deploy_test.py --newsd BUILD/newsd --source REPO
Needs Debian's python3-yaml (scripts/install-deps); everything else is stdlib.
"""
import argparse
import json
import pathlib
import re
import subprocess
import sys
import tempfile
import tomllib
import unittest

try:
    import yaml
except ImportError:  # a missing dependency is a failure, never a skip
    sys.exit("deploy_test: python3-yaml is missing; run scripts/install-deps")

ARGS = None


def parse_duration_seconds(text):
    m = re.fullmatch(r"(\d+)(ms|s|m|h|d)", text)
    assert m, f"not a duration: {text!r}"
    scale = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]
    return int(m.group(1)) * scale


def reference():
    """key path -> default literal, from `newsd check-config --reference`."""
    out = subprocess.run([ARGS.newsd, "check-config", "--reference"], capture_output=True, text=True, check=True).stdout
    keys = {}
    for line in out.splitlines():
        m = re.match(r"\| `([^`]+)` \| [^|]+ \| `(.*)` \|", line)
        if m:
            keys[m.group(1)] = m.group(2)
    assert keys, "no keys in the reference output"
    return keys


def env_var_for(key):
    return "NEWSD_" + key.upper().replace(".", "__")


class Manifests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.src = pathlib.Path(ARGS.source)
        cls.k8s = cls.src / "deploy" / "k8s"
        cls.docs = {}
        for path in sorted(cls.k8s.glob("*.yaml")):
            cls.docs[path.name] = [d for d in yaml.safe_load_all(path.read_text()) if d is not None]
        cls.keys = reference()
        cls.env_names = {env_var_for(k): k for k in cls.keys}
        cm = cls.one("ConfigMap", "newsd-config")
        cls.config_text = cm["data"]["newsd.toml"]
        cls.config = tomllib.loads(cls.config_text)

    @classmethod
    def all_docs(cls):
        return [d for docs in cls.docs.values() for d in docs]

    @classmethod
    def one(cls, kind, name):
        found = [d for d in cls.all_docs() if d.get("kind") == kind and d["metadata"]["name"] == name]
        assert len(found) == 1, f"expected one {kind}/{name}, found {len(found)}"
        return found[0]

    def workloads(self):
        w = [d for d in self.all_docs() if d.get("kind") in ("Deployment", "StatefulSet")]
        self.assertEqual(sorted(d["kind"] for d in w), ["Deployment", "StatefulSet"])
        return w

    def config_value(self, dotted, default_from_reference=True):
        node = self.config
        for part in dotted.split("."):
            if part not in node:
                literal = self.keys[dotted]
                return json.loads(literal) if literal.startswith(("\"", "[")) else literal
            node = node[part]
        return node

    def test_every_manifest_parses_with_kind_and_name(self):
        self.assertGreaterEqual(len(self.docs), 6)
        for name, docs in self.docs.items():
            self.assertTrue(docs, f"{name} is empty")
            for d in docs:
                for field in ("apiVersion", "kind"):
                    self.assertIn(field, d, f"{name}: a document has no {field}")
                if d["kind"] != "Kustomization":
                    self.assertTrue(d.get("metadata", {}).get("name"), f"{name}: a {d['kind']} has no name")

    def test_kustomization_lists_existing_files(self):
        kust = self.docs["kustomization.yaml"][0]
        for res in kust["resources"]:
            self.assertTrue((self.k8s / res).is_file(), f"kustomization names missing {res}")

    def test_configmap_passes_check_config(self):
        with tempfile.NamedTemporaryFile("w", suffix=".toml") as f:
            f.write(self.config_text)
            f.flush()
            r = subprocess.run([ARGS.newsd, "check-config", f.name], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_probes_ports_and_config_mount_agree_with_the_code(self):
        listen = self.config_value("http.listen")
        host, port = listen.rsplit(":", 1)
        self.assertNotIn(host, ("127.0.0.1", "localhost", "[::1]"), "kubelet probes cannot reach loopback")
        port = int(port)
        stop_timeout = parse_duration_seconds(self.config_value("shutdown.timeout"))
        for w in self.workloads():
            spec = w["spec"]["template"]["spec"]
            (c,) = spec["containers"]
            ports = {p["name"]: p["containerPort"] for p in c["ports"]}
            self.assertEqual(ports.get("metrics"), port, f"{w['kind']}: containerPort vs http.listen")
            self.assertEqual(c["livenessProbe"]["httpGet"]["path"], "/livez")
            self.assertEqual(c["startupProbe"]["httpGet"]["path"], "/livez")
            self.assertEqual(c["readinessProbe"]["httpGet"]["path"], "/readyz")
            for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
                self.assertIn(c[probe]["httpGet"]["port"], ("metrics", port))
            self.assertGreater(spec["terminationGracePeriodSeconds"], stop_timeout,
                               f"{w['kind']}: grace period must exceed shutdown.timeout")
            # `run --config PATH`, and PATH is the ConfigMap's key under a mounted volume.
            args = c["args"]
            self.assertEqual(args[0], "run")
            config_path = pathlib.PurePosixPath(args[args.index("--config") + 1])
            mounts = {m["name"]: m["mountPath"] for m in c["volumeMounts"]}
            vols = {v["name"]: v for v in spec["volumes"]}
            (vol_name,) = [n for n, m in mounts.items() if pathlib.PurePosixPath(m) == config_path.parent]
            self.assertEqual(vols[vol_name]["configMap"]["name"], "newsd-config")
            self.assertIn(config_path.name, self.one("ConfigMap", "newsd-config")["data"])
            # Every NEWSD_* variable overrides a declared key.
            for e in c.get("env", []):
                if e["name"].startswith("NEWSD_"):
                    self.assertIn(e["name"], self.env_names, f"{e['name']} overrides no declared key")
            # Non-root, no privilege escalation, read-only root.
            self.assertTrue(spec["securityContext"]["runAsNonRoot"])
            self.assertNotEqual(spec["securityContext"]["runAsUser"], 0)
            self.assertFalse(c["securityContext"]["allowPrivilegeEscalation"])
            self.assertTrue(c["securityContext"]["readOnlyRootFilesystem"])
            self.assertEqual(c["securityContext"]["capabilities"]["drop"], ["ALL"])
            for kind in ("requests", "limits"):
                self.assertIn("cpu", c["resources"][kind])
                self.assertIn("memory", c["resources"][kind])

    def test_statefulset_sets_static_membership_from_the_pod_name(self):
        sts = self.one("StatefulSet", "newsd")
        (c,) = sts["spec"]["template"]["spec"]["containers"]
        env = {e["name"]: e for e in c["env"]}
        var = env_var_for("kafka.group_instance_id")
        self.assertIn("kafka.group_instance_id", self.keys)
        self.assertEqual(env[var]["valueFrom"]["fieldRef"]["fieldPath"], "metadata.name")
        self.assertEqual(sts["spec"]["podManagementPolicy"], "Parallel")
        headless = self.one("Service", sts["spec"]["serviceName"])
        self.assertEqual(headless["spec"]["clusterIP"], "None")

    def test_services_and_pdb_select_the_pods(self):
        labels = self.one("Deployment", "newsd")["spec"]["template"]["metadata"]["labels"]
        for d in self.all_docs():
            sel = None
            if d["kind"] == "Service":
                sel = d["spec"]["selector"]
                self.assertEqual([p["targetPort"] for p in d["spec"]["ports"]], ["metrics"])
            elif d["kind"] == "PodDisruptionBudget":
                sel = d["spec"]["selector"]["matchLabels"]
            if sel is not None:
                for k, v in sel.items():
                    self.assertEqual(labels.get(k), v, f"{d['kind']}/{d['metadata']['name']} selects no pod")

    def test_keda_scales_the_group_on_its_topic_capped_at_partitions(self):
        so = self.one("ScaledObject", "newsd")
        target = so["spec"]["scaleTargetRef"]
        self.one(target["kind"], target["name"])
        partitions = int(so["metadata"]["annotations"]["newsd/input-partitions"])
        self.assertLessEqual(so["spec"]["maxReplicaCount"], partitions)
        (trigger,) = so["spec"]["triggers"]
        self.assertEqual(trigger["type"], "kafka")
        meta = trigger["metadata"]
        self.assertEqual(meta["consumerGroup"], self.config_value("kafka.group_id"))
        self.assertIn(meta["topic"], self.config_value("kafka.input_topics"))
        self.assertEqual(meta["bootstrapServers"].split(","), self.config_value("kafka.brokers"))
        self.assertEqual(meta["allowIdleConsumers"], "false")


class SecureOverlay(unittest.TestCase):
    """deploy/k8s/kafka-tls-sasl: the Secret-based [kafka.security] example."""

    def test_overlay_sets_declared_keys_from_the_mounted_secret(self):
        d = pathlib.Path(ARGS.source) / "deploy" / "k8s" / "kafka-tls-sasl"
        kust = yaml.safe_load((d / "kustomization.yaml").read_text())
        self.assertIn("../", kust["resources"])
        for res in kust["resources"][1:] + [p["path"] for p in kust["patches"]]:
            self.assertTrue((d / res).is_file(), res)
        secret = yaml.safe_load((d / "secret.yaml").read_text())
        self.assertEqual(secret["kind"], "Secret")
        patch = yaml.safe_load((d / "deployment-patch.yaml").read_text())
        (c,) = patch["spec"]["template"]["spec"]["containers"]
        names = {env_var_for(k) for k in reference()}
        env = {e["name"]: e for e in c["env"]}
        for name, e in env.items():
            self.assertIn(name, names, f"{name} overrides no declared key")
            if "valueFrom" in e:
                ref = e["valueFrom"]["secretKeyRef"]
                self.assertEqual(ref["name"], secret["metadata"]["name"])
                self.assertIn(ref["key"], secret["stringData"])
        self.assertNotIn(env_var_for("kafka.security.password"), env, "the password comes from a file")
        (mount,) = c["volumeMounts"]
        (vol,) = patch["spec"]["template"]["spec"]["volumes"]
        self.assertEqual(vol["secret"]["secretName"], secret["metadata"]["name"])
        for key in ("kafka.security.ca_file", "kafka.security.password_file"):
            path = pathlib.PurePosixPath(env[env_var_for(key)]["value"])
            self.assertEqual(str(path.parent), mount["mountPath"], key)
            self.assertIn(path.name, secret["stringData"], key)


class SystemdUnit(unittest.TestCase):
    def setUp(self):
        self.unit = {}
        text = (pathlib.Path(ARGS.source) / "deploy" / "systemd" / "newsd.service").read_text()
        for line in text.splitlines():
            if "=" in line and not line.startswith(("#", "[")):
                k, v = line.split("=", 1)
                self.unit.setdefault(k, []).append(v)
        self.keys = reference()

    def test_notify_watchdog_and_stop_timeout(self):
        self.assertEqual(self.unit["Type"], ["notify"])
        self.assertIn("WatchdogSec", self.unit)
        stop = parse_duration_seconds(self.unit["TimeoutStopSec"][0])
        drain = parse_duration_seconds(json.loads(self.keys["shutdown.timeout"]))
        self.assertGreater(stop, drain, "TimeoutStopSec must exceed shutdown.timeout")
        self.assertRegex(self.unit["ExecStart"][0], r"/newsd run --config \S+\.toml$")

    def test_hardening(self):
        for key, value in [("DynamicUser", "yes"), ("ProtectSystem", "strict"), ("NoNewPrivileges", "yes"),
                           ("PrivateTmp", "yes"), ("ProtectHome", "yes"), ("MemoryDenyWriteExecute", "yes"),
                           ("RestrictAddressFamilies", "AF_INET AF_INET6 AF_UNIX")]:
            self.assertEqual(self.unit.get(key), [value], key)
        self.assertIn("@system-service", self.unit["SystemCallFilter"])

    def test_environment_overrides_name_declared_keys(self):
        names = {env_var_for(k) for k in self.keys}
        for line in self.unit.get("Environment", []):
            for assignment in line.split():
                self.assertIn(assignment.split("=", 1)[0], names)


class Dockerfile(unittest.TestCase):
    def test_installs_the_package_non_root_port_and_config(self):
        text = (pathlib.Path(ARGS.source) / "deploy" / "Dockerfile").read_text()
        self.assertEqual(re.findall(r"^FROM (\S+)", text, re.M), ["debian:12"])
        self.assertRegex(text, r"(?m)^COPY newsd_\*_amd64\.deb /tmp/", "the image is the Debian package installed")
        self.assertRegex(text, r"apt-get install [^\n]*/tmp/newsd_\*_amd64\.deb")
        (user,) = re.findall(r"^USER (\S+)", text, re.M)
        self.assertNotIn(user.split(":")[0], ("0", "root"))
        keys = reference()
        port = int(re.search(r"^EXPOSE (\d+)", text, re.M).group(1))
        env_listen = re.search(r"NEWSD_HTTP__LISTEN=(\S+)", text).group(1)
        self.assertEqual(int(env_listen.rsplit(":", 1)[1]), port)
        for name in re.findall(r"\b(NEWSD_[A-Z_]+)=", text):
            self.assertIn(name, {env_var_for(k) for k in keys})
        # The package installs the binary in /usr/bin and the config as its conffile.
        self.assertRegex(text, r'ENTRYPOINT \["/usr/bin/newsd"\]')
        self.assertRegex(text, r'CMD \["run", "--config", "/etc/newsd/newsd.toml"\]')
        conffiles = (pathlib.Path(ARGS.source) / "deploy" / "debian" / "conffiles.in").read_text().split()
        self.assertEqual(conffiles, ["@NEWSD_CONFIG_FILE@"])


def help_text(*args):
    return subprocess.run([ARGS.newsd, *args], capture_output=True, text=True, check=True).stdout


def commands():
    out = help_text("--help")
    names = re.findall(r"^  ([a-z][a-z-]+) ", out.split("commands:", 1)[1], re.M)
    assert len(names) >= 4, out
    return names


class CommandLine(unittest.TestCase):
    def test_every_command_has_help_and_short_help(self):
        for cmd in commands():
            long = subprocess.run([ARGS.newsd, cmd, "--help"], capture_output=True, text=True)
            short = subprocess.run([ARGS.newsd, cmd, "-h"], capture_output=True, text=True)
            self.assertEqual((long.returncode, short.returncode), (0, 0), cmd)
            self.assertTrue(long.stdout.startswith("usage: newsd " + cmd), cmd)
            self.assertEqual(long.stdout, short.stdout, cmd)
        tool = pathlib.Path(ARGS.newsd).parent / "newsd-kafka-tool"  # the developer tool beside it
        for flag in ("-h", "--help"):
            r = subprocess.run([str(tool), flag], capture_output=True, text=True)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("--config", r.stdout)

    def test_man_page_names_every_command_and_option(self):
        man = (pathlib.Path(ARGS.source) / "deploy" / "man" / "newsd.1").read_text().replace("\\-", "-")
        for cmd in commands():
            self.assertRegex(man, r"\n\.B " + re.escape(cmd) + r"\n", f"man page: no section for {cmd}")
            for opt in re.findall(r"^  (?:-h, )?(--[a-z-]+)", help_text(cmd, "--help"), re.M):
                if opt != "--help":
                    self.assertIn(opt, man, f"man page: {cmd} {opt} is not described")

    def test_bash_completion_offers_commands_and_options(self):
        script = pathlib.Path(ARGS.source) / "deploy" / "bash-completion" / "newsd"
        def complete(*words):
            prog = (f"source {script}; COMP_WORDS=({ARGS.newsd} {' '.join(words)}); "
                    f"COMP_CWORD={len(words)}; _newsd; echo \"${{COMPREPLY[*]}}\"")
            return subprocess.run(["bash", "-c", prog], capture_output=True, text=True, check=True).stdout.split()
        self.assertEqual(complete("che"), ["check-config"])
        self.assertEqual(sorted(complete("")), sorted(commands() + ["--help", "--version"]))
        self.assertEqual(complete("process", "--wo"), ["--workers"])
        self.assertEqual(complete("check-config", "--r"), ["--reference"])


class Dashboard(unittest.TestCase):
    # Metrics the dashboard shows that no code registers yet, each with who owes
    # it. The test fails when one of them appears, so the list cannot go stale.
    PENDING: dict[str, str] = {}

    def test_every_queried_metric_is_registered_in_the_code(self):
        src = pathlib.Path(ARGS.source)
        dash = json.loads((src / "deploy" / "grafana" / "newsd.json").read_text())
        registered = set()
        for path in list(src.glob("stages/**/*.cc")) + list(src.glob("daemon/**/*.cc")):
            registered |= set(re.findall(r'"(newsd_[a-z0-9_]+)"', path.read_text(errors="replace")))
        exprs = [t["expr"] for p in dash["panels"] for t in p.get("targets", [])]
        self.assertGreaterEqual(len(exprs), 5)
        for expr in exprs:
            for name in re.findall(r"\b(newsd_[a-z0-9_]+)", expr):
                base = re.sub(r"_(bucket|sum|count)$", "", name)
                known = name in registered or base in registered
                if base in self.PENDING:
                    self.assertFalse(known, f"{base} is registered now: drop it from PENDING")
                    print(f"pending: {base} ({self.PENDING[base]})", file=sys.stderr)
                    continue
                self.assertTrue(known, f"dashboard queries unknown metric {name}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--newsd", required=True)
    parser.add_argument("--source", required=True)
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)

# Ansible connection to the test suite's booted containers (systemd-nspawn without a network):
# every command runs through nsenter in all namespaces of the container's PID 1, given as
# ansible_host. Tests only: real hosts are reached over SSH.
from __future__ import annotations

import shlex
import subprocess

from ansible.errors import AnsibleConnectionFailure
from ansible.plugins.connection import ConnectionBase

DOCUMENTATION = """
name: nsenter
short_description: run commands in a booted systemd-nspawn container through nsenter
description:
  - For the quant-supervision tests. ansible_host is the host PID of the container's systemd.
author: quant-supervision
options:
  remote_addr:
    description: the host PID of the container's PID 1
    vars:
      - name: ansible_host
"""


class Connection(ConnectionBase):
    transport = "nsenter"
    has_pipelining = True

    def _nsenter(self, argv, stdin=None):
        pid = str(self.get_option("remote_addr"))
        if not pid.isdigit():
            raise AnsibleConnectionFailure("ansible_host must be the container's PID 1 as seen on the host, not %r" % pid)
        p = subprocess.Popen(["nsenter", "-t", pid, "-a"] + argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
        out, err = p.communicate(stdin)
        return p.returncode, out, err

    def _connect(self):
        self._connected = True
        return self

    def exec_command(self, cmd, in_data=None, sudoable=True):
        super().exec_command(cmd, in_data=in_data, sudoable=sudoable)
        return self._nsenter(["/bin/sh", "-c", cmd], in_data)

    def put_file(self, in_path, out_path):
        super().put_file(in_path, out_path)
        with open(in_path, "rb") as f:
            rc, _, err = self._nsenter(["/bin/sh", "-c", "cat > " + shlex.quote(out_path)], f.read())
        if rc != 0:
            raise AnsibleConnectionFailure("put_file %s: %s" % (out_path, err.decode(errors="replace")))

    def fetch_file(self, in_path, out_path):
        super().fetch_file(in_path, out_path)
        rc, out, err = self._nsenter(["cat", in_path])
        if rc != 0:
            raise AnsibleConnectionFailure("fetch_file %s: %s" % (in_path, err.decode(errors="replace")))
        with open(out_path, "wb") as f:
            f.write(out)

    def close(self):
        self._connected = False

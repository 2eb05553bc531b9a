import asyncio
import os
import shlex
import subprocess

from fastapi import FastAPI
from flask import Flask
from flask import request as req

app = Flask(__name__)
api = FastAPI()
TOOLS = {"disk": "df -h", "mem": "free -m"}


@app.route("/ping")
def ping():
    host = req.args.get("host", "")
    # ruleid: llmsecops/web-command-injection
    os.system("ping -c 1 " + host)
    # ruleid: llmsecops/web-command-injection
    out = subprocess.check_output(f"nslookup {host}", shell=True)
    # ruleid: llmsecops/web-command-injection
    subprocess.run(["bash", "-c", "traceroute %s" % host])
    # Argument list with a fixed program and no shell: no injection.
    # ok: llmsecops/web-command-injection
    subprocess.run(["ping", "-c", "1", "--", host], check=False)
    # ok: llmsecops/web-command-injection
    subprocess.run("ping -c 1 " + shlex.quote(host), shell=True)
    return out


@app.route("/tool", methods=["POST"])
def tool():
    data = req.get_json()
    parts = []
    parts.append(data["program"])
    # ruleid: llmsecops/web-command-injection
    subprocess.Popen(parts[0], shell=True)
    name = data["tool"]
    # ok: llmsecops/web-command-injection
    os.system(TOOLS[name])
    if name not in TOOLS:
        return "no", 400
    # ok: llmsecops/web-command-injection
    os.popen("run-tool " + name)
    return "ok"


@api.get("/grep")
async def grep(pattern: str, count: int = 10):
    # ruleid: llmsecops/web-command-injection
    proc = await asyncio.create_subprocess_shell(f"grep -rn {pattern} /srv | head -{count}")
    # ok: llmsecops/web-command-injection
    os.system("tail -n %d /var/log/app.log" % count)
    return await proc.wait()


def django_view(request):
    cmd = request.POST.get("cmd")
    # ruleid: llmsecops/web-command-injection
    return subprocess.getoutput(cmd)

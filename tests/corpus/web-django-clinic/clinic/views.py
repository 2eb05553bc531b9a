"""Clinic back office: Django function and class-based views."""
import hashlib
import json
import os
import random
import subprocess
import xml.sax
from urllib.parse import urlsplit

import ldap3
import requests
import yaml
from django.conf import settings
from django.db import connection
from django.http import FileResponse, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.utils.html import escape, format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views import View
from ldap3.utils.conv import escape_filter_chars
from lxml import etree
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from .models import Patient

EXPORT_DIR = "/var/clinic/exports"
LAB_API = "https://lab.example.org/api/v2/results/"


def backup(request):
    target = request.POST.get("target", "nightly")
    subprocess.run(f"tar czf /backups/{target}.tgz /var/clinic", shell=True, check=True)  # vuln: web-command-injection
    subprocess.run(["tar", "czf", "/backups/manual.tgz", "--", request.POST.get("dir", "/var/clinic")], check=True)  # safe: web-command-injection
    return JsonResponse({"ok": True})


def formula(request):
    expr = request.GET.get("dose", "0")
    code = compile("result = " + expr, "<dose>", "exec")  # vuln: web-code-injection
    dose = float(request.GET.get("weight", "0")) * 0.1
    value = eval("%f * 2" % dose)  # safe: web-code-injection
    return JsonResponse({"code": str(code), "value": value})


def patients(request):
    surname = request.GET.get("surname", "")
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM patients WHERE surname LIKE '%%%s%%'" % surname)  # vuln: web-sql-injection
        cursor.execute("SELECT id FROM patients WHERE surname = %s", [surname])  # safe: web-sql-injection
        rows = cursor.fetchall()
    raw = Patient.objects.raw("SELECT * FROM patients WHERE ward = '" + request.GET["ward"] + "'")  # vuln: web-sql-injection
    return JsonResponse({"rows": rows, "raw": len(list(raw))})


def export_download(request, filename):
    return FileResponse(open(os.path.join(EXPORT_DIR, filename), "rb"))  # vuln: web-path-traversal


def export_safe(request):
    name = os.path.basename(request.GET.get("file", ""))
    return FileResponse(open(os.path.join(EXPORT_DIR, name), "rb"))  # safe: web-path-traversal


def greeting(request):
    who = request.GET.get("who", "")
    banner = mark_safe("<strong>" + who + "</strong>")  # vuln: web-xss
    plain = format_html("<strong>{}</strong>", who)  # safe: web-xss
    return render(request, "greet.html", {"banner": banner, "plain": plain})


def echo(request):
    msg = request.GET.get("msg", "")
    return HttpResponse("You said: " + msg)  # vuln: web-xss


def echo_safe(request):
    msg = request.GET.get("msg", "")
    return HttpResponse("You said: " + escape(msg))  # safe: web-xss


def after_login(request):
    next_url = request.GET.get("next", "/")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=True):
        return HttpResponseRedirect(next_url)  # safe: web-open-redirect
    return redirect(request.META.get("HTTP_REFERER", "/"))  # vuln: web-open-redirect


def set_ward(request):
    request.session["ward"] = request.POST["ward"]  # vuln: web-trust-boundary
    request.session["visits"] = request.session.get("visits", 0) + 1  # safe: web-trust-boundary
    return JsonResponse({"ok": True})


def staff_lookup(request):
    name = request.GET.get("name", "")
    conn = ldap3.Connection(ldap3.Server(settings.LDAP_URL), auto_bind=True)
    conn.search("ou=staff,dc=clinic", "(cn=" + name + ")")  # vuln: web-ldap-injection
    conn.search("ou=staff,dc=clinic", "(cn=%s)" % escape_filter_chars(name))  # safe: web-ldap-injection
    return JsonResponse({"n": len(conn.entries)})


def formulary(request):
    tree = etree.parse(os.path.join(settings.BASE_DIR, "formulary.xml"))
    drug = request.GET.get("drug", "")
    doses = tree.xpath("//drug[@name='%s']/dose" % drug)  # vuln: web-xpath-injection
    if not drug.isalnum():
        return JsonResponse({"error": "bad name"}, status=400)
    checked = tree.xpath("//drug[@name='%s']/dose" % drug)  # safe: web-xpath-injection
    return JsonResponse({"n": len(doses) + len(checked)})


def import_protocol(request):
    protocol = yaml.load(request.body, Loader=yaml.Loader)  # vuln: web-deserialization
    listing = json.loads(request.body)  # safe: web-deserialization
    return JsonResponse({"steps": len(protocol) + len(listing)})


class LabResultView(View):
    def post(self, request):
        handler = xml.sax.ContentHandler()
        parser = xml.sax.make_parser()
        parser.setFeature(xml.sax.handler.feature_external_ges, True)
        parser.setContentHandler(handler)
        parser.parse(request.FILES["report"])  # vuln: web-xxe
        return JsonResponse({"ok": True})

    def get(self, request):
        code = request.GET.get("code", "")
        resp = requests.get(LAB_API + code, timeout=10)  # safe: web-ssrf
        callback = request.GET.get("callback", "")
        requests.post(callback, json=resp.json(), timeout=10)  # vuln: web-ssrf
        return JsonResponse(resp.json())


def parse_safe(request):
    parser = xml.sax.make_parser()
    parser.parse(request.FILES["report"])  # safe: web-xxe
    return JsonResponse({"ok": True})


def visit_code(request):
    code = "".join(random.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(8))  # vuln: web-weak-random
    rng = random.SystemRandom()
    otp = "".join(rng.choice("0123456789") for _ in range(6))  # safe: web-weak-random
    checksum = hashlib.sha1(code.encode()).hexdigest()  # vuln: web-weak-crypto
    key = os.urandom(32)
    cipher = Cipher(algorithms.AES(key), modes.GCM(os.urandom(12)))  # safe: web-weak-crypto
    legacy = Cipher(algorithms.AES(key), modes.ECB())  # vuln: web-weak-crypto
    response = JsonResponse({"code": code, "otp": otp, "sum": checksum, "c": str(cipher) + str(legacy)})
    response.set_cookie("visit", code, httponly=True)  # vuln: web-insecure-cookie
    response.set_cookie("otp", otp, secure=True, httponly=True)  # safe: web-insecure-cookie
    return response

import ldap
import ldap3
from flask import Flask, request
from ldap3.utils.conv import escape_filter_chars

app = Flask(__name__)


@app.route("/lookup")
def lookup():
    uid = request.args.get("uid", "")
    con = ldap.initialize("ldap://ldap.example.com")
    # ruleid: llmsecops/web-ldap-injection
    res = con.search_s("ou=people,dc=example,dc=com", ldap.SCOPE_SUBTREE, "(uid=" + uid + ")")
    # ok: llmsecops/web-ldap-injection
    res2 = con.search_s("ou=people,dc=example,dc=com", ldap.SCOPE_SUBTREE, "(uid=%s)" % ldap.filter.escape_filter_chars(uid))
    return {"n": len(res) + len(res2)}


@app.route("/login", methods=["POST"])
def login():
    user = request.form["user"]
    conn = ldap3.Connection(ldap3.Server("ldap://ldap.example.com"), auto_bind=True)
    # ruleid: llmsecops/web-ldap-injection
    conn.search("dc=example,dc=com", f"(&(objectClass=person)(cn={user}))")
    # ok: llmsecops/web-ldap-injection
    conn.search("dc=example,dc=com", "(&(objectClass=person)(cn=%s))" % escape_filter_chars(user))
    # ruleid: llmsecops/web-ldap-injection
    conn.search(search_base="ou=" + request.form["ou"] + ",dc=example,dc=com", search_filter="(objectClass=*)")
    # ok: llmsecops/web-ldap-injection
    conn.search("dc=example,dc=com", "(objectClass=person)")
    return {"entries": len(conn.entries)}

/**
 * The two small Python programs the lab script carries (python3 is on every Debian machine):
 * a server that answers on a namespace's listening ports the way the simulator's applications
 * do, and a probe client that reports what it got back as one JSON line.
 *
 * The HTTP/UDP answer names the responder and the source address the server saw, so the
 * kernel tier can compare NAT (or its absence) with the simulator's `seenSource`.
 */

export const LAB_SERVER_PY = String.raw`
import json, os, socket, sys, threading
owner, ready = sys.argv[1], sys.argv[2]
specs = sys.argv[3:]
def answer(peer):
    host = "[%s]" % peer[0] if ":" in peer[0] else peer[0]
    return json.dumps({"responder": owner, "seenSource": "%s:%d" % (host, peer[1])}) + "\n"
def fam(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET
def v6only(s):
    # An IPv6 wildcard listener next to the IPv4 one: each family on its own socket.
    if s.family == socket.AF_INET6: s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
def tcp(addr, port):
    s = socket.socket(fam(addr), socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    v6only(s)
    s.bind((addr, port)); s.listen(128)
    return s
def tcp_loop(s):
    while True:
        c, peer = s.accept()
        threading.Thread(target=handle, args=(c, peer), daemon=True).start()
def handle(c, peer):
    c.settimeout(3)
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            d = c.recv(4096)
            if not d: break
            data += d
        body = answer(peer).encode()
        c.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
    except Exception:
        pass
    finally:
        c.close()
def udp(addr, port):
    s = socket.socket(fam(addr), socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    v6only(s)
    s.bind((addr, port))
    return s
def udp_loop(s):
    while True:
        data, peer = s.recvfrom(65535)
        s.sendto(answer(peer).encode(), peer)
socks = []
for spec in specs:
    proto, rest = spec.split(":", 1)
    addr, port = rest.rsplit(":", 1)
    addr = addr.strip("[]")
    socks.append((proto, tcp(addr, int(port)) if proto == "tcp" else udp(addr, int(port))))
open(ready, "w").close()
for proto, s in socks:
    threading.Thread(target=tcp_loop if proto == "tcp" else udp_loop, args=(s,), daemon=True).start()
threading.Event().wait()
`;

export const LAB_PROBE_PY = String.raw`
import errno, json, os, socket, struct, sys, time
name, proto, ip, port, owners = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), json.loads(sys.argv[5])
# Longer than the kernel's 3 s of unanswered ARP (3 solicitations, 1 s apart), so "no route to
# host" shows up as the kernel reports it rather than as a timeout.
WAIT = float(os.environ.get("KNP_LAB_WAIT", "4"))
out = {"probe": name, "verdict": "error", "responder": None, "seenSource": None}
FAM = socket.AF_INET6 if ":" in ip else socket.AF_INET
# ICMP probes may carry a payload size (ping -s); the default is the short marker.
PAYLOAD = b"knp-probe" if len(sys.argv) < 7 else (b"knp-probe" * (int(sys.argv[6]) // 9 + 1))[:int(sys.argv[6])]
def fail(e):
    n = getattr(e, "errno", None)
    if isinstance(e, ConnectionRefusedError) or n == errno.ECONNREFUSED: return "refused"
    if isinstance(e, (socket.timeout, TimeoutError)): return "timeout"
    if n in (errno.EHOSTUNREACH, errno.ENETUNREACH): return "unreachable"
    if n == errno.ECONNRESET: return "refused"
    return "error"
def parse(body):
    try:
        j = json.loads(body.strip().splitlines()[-1])
        out["responder"], out["seenSource"] = j["responder"], j["seenSource"]
        out["verdict"] = "delivered"
    except Exception:
        out["verdict"] = "error"
try:
    if proto == "tcp":
        s = socket.socket(FAM, socket.SOCK_STREAM)
        s.settimeout(WAIT)
        s.connect((ip, port))
        s.settimeout(WAIT)
        s.sendall(("GET / HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n" % ip).encode())
        data = b""
        while True:
            d = s.recv(65535)
            if not d: break
            data += d
        parse(data.decode(errors="replace").split("\r\n\r\n", 1)[-1])
    elif proto == "udp":
        s = socket.socket(FAM, socket.SOCK_DGRAM)
        s.settimeout(WAIT)
        s.connect((ip, port))
        s.send(b"knp-probe")
        parse(s.recv(65535).decode(errors="replace"))
    elif FAM == socket.AF_INET6:
        # ICMPv6 echo: the kernel fills in the checksum (it covers a pseudo-header) and hands back
        # the ICMPv6 message without the IPv6 header; neighbour discovery arrives here too.
        s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
        ident = os.getpid() & 0xffff
        s.sendto(struct.pack("!BBHHH", 128, 0, 0, ident, 1) + PAYLOAD, (ip, 0))
        deadline = time.time() + WAIT
        while True:
            s.settimeout(max(0.01, deadline - time.time()))
            data, peer = s.recvfrom(65535)
            t = data[0]
            if t == 129 and struct.unpack("!H", data[4:6])[0] == ident:
                out["verdict"], out["responder"] = "delivered", owners.get(peer[0])
                break
            # Destination unreachable, packet too big, time exceeded: about our echo (its id inside).
            if t in (1, 2, 3) and len(data) >= 54 and data[48] == 128 and struct.unpack("!H", data[52:54])[0] == ident:
                out["verdict"], out["icmpFrom"] = "unreachable", peer[0]; break
    else:
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
        s.settimeout(WAIT)
        ident = os.getpid() & 0xffff
        hdr = struct.pack("!BBHHH", 8, 0, 0, ident, 1) + PAYLOAD
        csum = 0
        for i in range(0, len(hdr), 2):
            w = hdr[i] << 8 | (hdr[i + 1] if i + 1 < len(hdr) else 0)
            csum += w
        csum = (csum >> 16) + (csum & 0xffff); csum += csum >> 16
        pkt = struct.pack("!BBHHH", 8, 0, ~csum & 0xffff, ident, 1) + PAYLOAD
        s.sendto(pkt, (ip, 0))
        deadline = time.time() + WAIT
        while True:
            s.settimeout(max(0.01, deadline - time.time()))
            data, peer = s.recvfrom(65535)
            ihl = (data[0] & 15) * 4
            t, code = data[ihl], data[ihl + 1]
            if t == 0 and struct.unpack("!H", data[ihl + 4:ihl + 6])[0] == ident:
                out["verdict"], out["responder"] = "delivered", owners.get(peer[0])
                break
            if t == 3 or t == 11:
                # Who sent the error (the router where the TTL ran out, or that had no route).
                out["verdict"], out["icmpFrom"] = "unreachable", peer[0]; break
except Exception as e:
    out["verdict"] = fail(e)
print(json.dumps(out), flush=True)
`;

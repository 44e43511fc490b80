package org.aemp.internal.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.aemp.config.Profiles;

/**
 * Listen and seed addresses as AEMP writes them ({@code host:port}, {@code [v6]:port}) and the bind
 * rules of AEMP 2.02 (NETWORK.md section 2): {@code host:port}; {@code host} or port {@code *} for
 * a port the OS picks; a bare {@code port} or empty host for the machine's name; host {@code *}
 * for every non-loopback address (IPv4 except 127/8, IPv6 global unicast and unique local).
 */
final class Addresses {
    private Addresses() {
    }

    /** A host and port before resolution; port 0 means "any". */
    record HostPort(String host, int port) {
        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /**
     * Splits one bind or seed entry.
     *
     * @throws IllegalArgumentException if the port is not a number from 0 to 65535 or {@code *}
     */
    static HostPort parse(String entry) {
        String e = entry.trim();
        String host;
        String port;
        if (e.startsWith("[")) {
            int close = e.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("invalid address '" + entry + "': missing ']'");
            }
            host = e.substring(1, close);
            port = e.length() > close + 1 && e.charAt(close + 1) == ':' ? e.substring(close + 2) : "";
        } else if (e.chars().filter(c -> c == ':').count() > 1) {
            host = e; // a bare IPv6 address
            port = "";
        } else if (e.indexOf(':') >= 0) {
            host = e.substring(0, e.indexOf(':'));
            port = e.substring(e.indexOf(':') + 1);
        } else if (!e.isEmpty() && e.chars().allMatch(Character::isDigit)) {
            host = "";
            port = e;
        } else {
            host = e;
            port = "";
        }
        if (host.isEmpty()) {
            host = Profiles.hostName();
        }
        return new HostPort(host, parsePort(port, entry));
    }

    private static int parsePort(String port, String entry) {
        if (port.isEmpty() || port.equals("*")) {
            return 0;
        }
        try {
            int p = Integer.parseInt(port);
            if (p >= 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException("invalid address '" + entry + "': port must be 0-65535 or '*'");
    }

    /** Every socket address an entry stands for: {@code *} expands to the interface addresses. */
    static List<InetSocketAddress> resolve(String entry) throws UnknownHostException {
        HostPort hp = parse(entry);
        List<InetSocketAddress> out = new ArrayList<>();
        if (hp.host().equals("*")) {
            for (InetAddress a : interfaceAddresses()) {
                out.add(new InetSocketAddress(a, hp.port()));
            }
        } else {
            for (InetAddress a : InetAddress.getAllByName(hp.host())) {
                out.add(new InetSocketAddress(a, hp.port()));
            }
        }
        return out;
    }

    /** The addresses AEMP's {@code *} means: no loopback, no link-local, no IPv6 outside 2000::/3 and fc00::/7. */
    static List<InetAddress> interfaceAddresses() {
        List<InetAddress> out = new ArrayList<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
                        out.add(a);
                    } else if (a instanceof Inet6Address) {
                        int first = a.getAddress()[0] & 0xff;
                        if ((first >= 0x20 && first <= 0x3f) || first == 0xfc || first == 0xfd) {
                            out.add(a);
                        }
                    }
                }
            }
        } catch (SocketException e) {
            // no interfaces to list: nothing to bind
        }
        return out;
    }

    /** {@code host:port} with the IP literal, {@code [addr]:port} for IPv6. */
    static String format(InetSocketAddress a) {
        InetAddress ip = a.getAddress();
        if (ip == null) {
            return a.getHostString() + ":" + a.getPort();
        }
        String host = ip.getHostAddress();
        int zone = host.indexOf('%');
        if (zone >= 0) {
            host = host.substring(0, zone);
        }
        return (ip instanceof Inet6Address ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}

package org.quantsupervision.manager;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * A client of supervisord's XML-RPC interface over its unix socket (the same one supervisorctl
 * uses): just the calls the health checker's restart action needs, and each bounded by a
 * deadline, since a round of the checker must end within its budget.
 *
 * <p>Hand-written rather than a library: the JDK has no XML-RPC client and no HTTP over unix
 * sockets, and the subset needed (string and boolean parameters, a struct or boolean answer, a
 * fault) is a few lines on the JDK's own XML parser. supervisord answers HTTP/1.0 requests and
 * closes the connection, so the answer is read to the end.
 */
public final class SupervisorRpc {
    private final Path socket;
    private final Duration timeout;

    /** A failed call: supervisord answered with a fault, or could not be reached. */
    public static final class RpcException extends IOException {
        private static final long serialVersionUID = 1L;

        RpcException(String message) {
            super(message);
        }
    }

    public SupervisorRpc(Path socket, Duration timeout) {
        this.socket = socket;
        this.timeout = timeout;
    }

    /** Where Debian's and RHEL's supervisor packages put the control socket. */
    private static final List<Path> INSTALLED_SOCKETS = List.of(
            Path.of("/var/run/supervisor.sock"), Path.of("/run/supervisor/supervisor.sock"));

    /**
     * The installed supervisord's socket, if there is one. The one a runner recorded in
     * runner.json is never used: the strategy's account writes that file.
     */
    public static Optional<Path> installedSocket() {
        return INSTALLED_SOCKETS.stream().filter(Files::exists).findFirst();
    }

    /** The socket of a SUPERVISOR_SERVER_URL such as unix:///var/run/supervisor.sock. */
    public static Path socketOf(String serverUrl) throws RpcException {
        if (!serverUrl.startsWith("unix://")) {
            throw new RpcException("supervisord's control URL is not a unix socket (only unix:// is used: "
                    + "an [inet_http_server] would let anyone who reaches it run commands as root)");
        }
        return Path.of(serverUrl.substring("unix://".length()));
    }

    /** supervisor.getProcessInfo(NAME)'s statename: STOPPED, STARTING, RUNNING, BACKOFF, STOPPING, EXITED, FATAL. */
    public String processState(String name) throws RpcException {
        Element value = call("supervisor.getProcessInfo", name);
        return struct(value).getOrDefault("statename", "UNKNOWN");
    }

    /** supervisor.stopProcess(NAME, wait): true once stopped. */
    public boolean stopProcess(String name, boolean wait) throws RpcException {
        return bool(call("supervisor.stopProcess", name, wait));
    }

    /** supervisor.startProcess(NAME, wait). */
    public boolean startProcess(String name, boolean wait) throws RpcException {
        return bool(call("supervisor.startProcess", name, wait));
    }

    private Element call(String method, Object... params) throws RpcException {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?><methodCall><methodName>")
                .append(method).append("</methodName><params>");
        for (Object p : params) {
            xml.append("<param><value>");
            if (p instanceof Boolean b) {
                xml.append("<boolean>").append(b ? 1 : 0).append("</boolean>");
            } else {
                xml.append("<string>").append(escape(p.toString())).append("</string>");
            }
            xml.append("</value></param>");
        }
        xml.append("</params></methodCall>");
        byte[] body = xml.toString().getBytes(StandardCharsets.UTF_8);
        byte[] request = ("POST /RPC2 HTTP/1.0\r\nHost: localhost\r\nContent-Type: text/xml\r\nContent-Length: "
                + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] answer = exchange(concat(request, body));
        String head = new String(answer, 0, Math.min(answer.length, 64), StandardCharsets.ISO_8859_1);
        if (!head.startsWith("HTTP/1.") || !head.substring(9).startsWith("200")) {
            throw new RpcException(method + ": supervisord answered " + head.lines().findFirst().orElse("nothing"));
        }
        int start = indexOf(answer, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        if (start < 0) {
            throw new RpcException(method + ": supervisord's answer has no body");
        }
        Document doc = parse(answer, start + 4, method);
        NodeList faults = doc.getElementsByTagName("fault");
        if (faults.getLength() > 0) {
            Map<String, String> fault = struct(firstChildElement((Element) faults.item(0)));
            throw new RpcException(method + ": " + fault.getOrDefault("faultString", "fault"));
        }
        NodeList values = doc.getElementsByTagName("value");
        if (values.getLength() == 0) {
            throw new RpcException(method + ": supervisord's answer has no value");
        }
        return (Element) values.item(0);
    }

    /** Writes REQUEST and reads the whole answer, within the timeout (an NIO selector: unix channels have no socket timeouts). */
    private byte[] exchange(byte[] request) throws RpcException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                Selector selector = Selector.open()) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.configureBlocking(false);
            ByteBuffer out = ByteBuffer.wrap(request);
            ByteArrayOutputStream in = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            SelectionKey key = channel.register(selector, SelectionKey.OP_WRITE);
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw new RpcException("supervisord did not answer within " + timeout.toMillis() + " ms");
                }
                selector.select(left);
                if (out.hasRemaining()) {
                    channel.write(out);
                    if (!out.hasRemaining()) {
                        key.interestOps(SelectionKey.OP_READ);
                    }
                    continue;
                }
                buffer.clear();
                int n = channel.read(buffer);
                if (n < 0) {
                    return in.toByteArray();
                }
                in.write(buffer.array(), 0, n);
                if (in.size() > 4 << 20) {
                    throw new RpcException("supervisord's answer is larger than 4 MB");
                }
            }
        } catch (RpcException e) {
            throw e;
        } catch (IOException e) {
            throw new RpcException("cannot reach supervisord at " + socket + " (" + e.getMessage()
                    + "; it is root's)");
        }
    }

    private static Document parse(byte[] answer, int offset, String method) throws RpcException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            // An answer is plain XML-RPC: no DTDs, no external entities.
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            return builder.parse(new ByteArrayInputStream(answer, offset, answer.length - offset));
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new RpcException(method + ": supervisord's answer is not XML-RPC (" + e.getMessage() + ")");
        }
    }

    /** An XML-RPC struct as name to text (nested values flattened to their text). */
    private static Map<String, String> struct(Element value) {
        Map<String, String> result = new HashMap<>();
        NodeList members = value.getElementsByTagName("member");
        for (int i = 0; i < members.getLength(); i++) {
            Element member = (Element) members.item(i);
            String name = member.getElementsByTagName("name").item(0).getTextContent();
            result.put(name, member.getElementsByTagName("value").item(0).getTextContent().trim());
        }
        return result;
    }

    private static boolean bool(Element value) {
        NodeList b = value.getElementsByTagName("boolean");
        return b.getLength() > 0 && b.item(0).getTextContent().trim().equals("1");
    }

    private static Element firstChildElement(Element parent) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                return e;
            }
        }
        return parent;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}

package io.taskgate.ingress.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskgate.schemas.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a bare socket, for what an HTTP client will not send: paths it would normalise,
 * another local address, a body cut short, a request that never ends. The request goes out byte
 * for byte as given; the answer is read until the server closes or the timeout passes.
 */
public final class RawHttp {
    private RawHttp() {
    }

    /** What came back; {@code status} is -1 when the server closed without answering. */
    public record Answer(int status, Map<String, String> headers, String body) {
        public JsonNode json() {
            try {
                return Json.mapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    public static Answer send(int port, String request, Duration timeout) throws IOException {
        return send(port, InetAddress.getLoopbackAddress(), request.getBytes(StandardCharsets.UTF_8), timeout, false);
    }

    /**
     * Sends {@code request} from {@code from} (any 127.x address works on loopback); with
     * {@code halfClose} the client then stops sending, as one that died mid-body does.
     */
    public static Answer send(int port, InetAddress from, byte[] request, Duration timeout, boolean halfClose) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(from, 0));
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            if (halfClose) {
                socket.shutdownOutput();
            }
            return parse(readAll(socket.getInputStream()));
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                all.write(buffer, 0, n);
                if (complete(all.toByteArray())) {
                    break;
                }
            }
        } catch (SocketTimeoutException | java.net.SocketException e) {
            // What arrived until the timeout or reset is the answer.
        }
        return all.toByteArray();
    }

    /** A whole answer with a Content-Length has arrived, so a kept-alive connection need not be waited out. */
    private static boolean complete(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        for (String line : text.substring(0, end).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return bytes.length >= end + 4 + Integer.parseInt(line.substring(15).trim());
            }
        }
        return false;
    }

    private static Answer parse(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/") || end < 0) {
            return new Answer(-1, Map.of(), text);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        return new Answer(Integer.parseInt(lines[0].split(" ")[1]), headers, text.substring(end + 4));
    }
}

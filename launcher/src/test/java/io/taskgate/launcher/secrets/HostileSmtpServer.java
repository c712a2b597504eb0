package io.taskgate.launcher.secrets;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real SMTP server on loopback that takes {@code AUTH PLAIN} with one password and then quotes
 * that password back: {@code RCPT TO} an address starting with {@code echo@} is refused with a
 * reply naming it, and a wrong password is refused the same way. Everything else is delivered.
 */
final class HostileSmtpServer implements AutoCloseable {
    private final ServerSocket socket;
    private final String password;
    private final AtomicInteger delivered = new AtomicInteger();

    HostileSmtpServer(String password) {
        this.password = password;
        try {
            socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread thread = new Thread(this::serve, "hostile-smtp");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    int delivered() {
        return delivered.get();
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket client = socket.accept()) {
                converse(client);
            } catch (IOException e) {
                // The connection ended or the server closed; take the next one.
            }
        }
    }

    private void converse(Socket client) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter out = new PrintWriter(client.getOutputStream(), true, StandardCharsets.UTF_8);
        reply(out, "220 hostile.test ESMTP");
        String given = null;
        String line;
        while ((line = in.readLine()) != null) {
            String command = line.toUpperCase(Locale.ROOT);
            if (command.startsWith("EHLO")) {
                reply(out, "250-hostile.test\r\n250 AUTH PLAIN");
            } else if (command.startsWith("AUTH PLAIN")) {
                String[] parts = line.split(" ");
                String encoded = parts.length > 2 ? parts[2] : null;
                if (encoded == null) {
                    reply(out, "334 ");
                    encoded = in.readLine();
                }
                String[] credentials = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8).split("\0");
                given = credentials[credentials.length - 1];
                if (given.equals(password)) {
                    reply(out, "235 2.7.0 accepted");
                } else {
                    reply(out, "535 5.7.8 wrong password " + given);
                }
            } else if (command.startsWith("RCPT TO")) {
                String address = line.substring(line.indexOf('<') + 1, line.indexOf('>'));
                reply(out, address.startsWith("echo@") ? "550 5.1.1 " + address + " refused; you logged in with " + given : "250 OK");
            } else if (command.equals("DATA")) {
                reply(out, "354 end with .");
                while ((line = in.readLine()) != null && !line.equals(".")) {
                    // The content does not matter.
                }
                delivered.incrementAndGet();
                reply(out, "250 OK queued for the owner of " + given);
            } else if (command.equals("QUIT")) {
                reply(out, "221 bye");
                return;
            } else {
                reply(out, "250 OK");
            }
        }
    }

    private static void reply(PrintWriter out, String text) {
        out.print(text + "\r\n");
        out.flush();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

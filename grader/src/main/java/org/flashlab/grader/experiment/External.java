package org.flashlab.grader.experiment;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * External baselines, as the paper measured Zeus and Apache beside Flash: nginx (one worker, an
 * event loop) and Apache httpd with its prefork (processes) and event (threads plus an event loop)
 * MPMs. Each runs under a small shell wrapper that prints the kit's readiness line once the server
 * accepts connections, since neither prints one of its own.
 */
public final class External {
    static final List<String> NAMES = List.of("nginx", "apache2-prefork", "apache2-event");

    private External() {}

    /**
     * nginx with one worker serving {@code www} on {@code port}, as the kit measures it everywhere:
     * sendfile, the open-file cache, no access log, keep-alive without a request limit. Returns
     * the configuration file it wrote in {@code dir}.
     */
    public static Path nginxConfig(Path dir, int port, Path www) throws IOException {
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, """
                worker_processes 1;
                daemon off;
                user root;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log;
                events { worker_connections 16384; }
                http {
                    access_log off;
                    sendfile on;
                    tcp_nopush on;
                    keepalive_requests 100000000;
                    open_file_cache max=10000;
                    default_type application/octet-stream;
                    client_body_temp_path %1$s; proxy_temp_path %1$s; fastcgi_temp_path %1$s;
                    uwsgi_temp_path %1$s; scgi_temp_path %1$s;
                    server { listen 127.0.0.1:%2$d; root %3$s; }
                }
                """.formatted(dir, port, www));
        return conf;
    }

    /** The program this baseline needs on the PATH. */
    static String program(String name) {
        return name.startsWith("apache2") ? "apache2" : name;
    }

    /** Whether the baseline's program is installed here (an experiment leaves it out, and says so, when not). */
    static boolean installed(String name) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin";
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program(name)))) {
                return true;
            }
        }
        return false;
    }

    /**
     * A command line that starts the baseline on {@code docroot}, in {@code dir} (its configuration,
     * logs and pid file), and prints "Listening on http://127.0.0.1:PORT/" when it accepts.
     */
    static List<String> command(String name, Path dir, Path docroot) throws IOException {
        Files.createDirectories(dir);
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort(); // the configuration needs a number; the window for a clash is short
        }
        String start;
        if (name.equals("nginx")) {
            Path conf = nginxConfig(dir, port, docroot);
            start = "nginx -c " + conf + " -p " + dir;
        } else {
            boolean prefork = name.endsWith("prefork");
            String modules = "/usr/lib/apache2/modules";
            Path conf = dir.resolve("httpd.conf");
            Files.writeString(conf, """
                    ServerRoot %1$s
                    PidFile %1$s/httpd.pid
                    Mutex file:%1$s
                    Listen 127.0.0.1:%2$d
                    ServerName 127.0.0.1
                    LoadModule %4$s_module %5$s/mod_%4$s.so
                    LoadModule authz_core_module %5$s/mod_authz_core.so
                    DocumentRoot "%3$s"
                    <Directory "%3$s">
                        Require all granted
                    </Directory>
                    ErrorLog %1$s/error.log
                    KeepAlive On
                    MaxKeepAliveRequests 0
                    KeepAliveTimeout 15
                    EnableSendfile On
                    EnableMMAP On
                    %6$s
                    """.formatted(dir, port, docroot, prefork ? "mpm_prefork" : "mpm_event", modules,
                    prefork ? "StartServers 32\nMinSpareServers 32\nMaxSpareServers 64\nMaxRequestWorkers 256"
                            : "StartServers 2\nThreadsPerChild 64\nMaxRequestWorkers 1024\nServerLimit 16"));
            // A session of its own: on shutdown, Apache signals its whole process group, which
            // would otherwise be the experiment's (and the shell's that started it).
            start = "setsid apache2 -f " + conf + " -DFOREGROUND";
        }
        // Bounded: 400 tries of 50 ms. The wrapper's own exit stops the server (the runner stops the tree).
        String script = start + " & pid=$!; trap 'kill $pid 2>/dev/null' TERM INT EXIT; "
                + "for i in $(seq 400); do "
                + "  if (exec 3<>/dev/tcp/127.0.0.1/" + port + ") 2>/dev/null; then "
                + "    echo 'Listening on http://127.0.0.1:" + port + "/'; wait $pid; exit $?; fi; "
                + "  kill -0 $pid 2>/dev/null || { echo '" + name + " exited before it accepted'; "
                + "    cat " + dir + "/error.log 2>/dev/null; exit 1; }; "
                + "  sleep 0.05; "
                + "done; echo '" + name + " did not accept connections within 20 s'; exit 1";
        return List.of("bash", "-c", script);
    }
}

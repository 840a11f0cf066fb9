package io.github.perfkit.servlet;

import io.github.perfkit.core.Perf;
import io.github.perfkit.core.Scope;
import io.github.perfkit.core.TrackerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.MDC;

/** An embedded Jetty 12 on a free loopback port with the filter, the endpoints and a test application. */
final class TestServer implements AutoCloseable {

    static final String PATTERN_ATTRIBUTE = "test.bestMatchingPattern";

    final Perf perf;
    final PerfFilter filter;
    final PerfEndpointsServlet endpoints;
    final Server server;
    final int port;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    volatile CountDownLatch block = new CountDownLatch(1);
    volatile CountDownLatch blocked = new CountDownLatch(1);

    TestServer(PerfFilterConfig filterConfig, PerfEndpointsConfig endpointsConfig) throws Exception {
        this(Perf.builder().registry(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)).autoTick(false)
                .tracker(TrackerConfig.builder().slowRequestThreshold(Duration.ofMillis(100)).build())
                .build(), filterConfig, endpointsConfig);
    }

    TestServer(Perf perf, PerfFilterConfig filterConfig, PerfEndpointsConfig endpointsConfig) throws Exception {
        this.perf = perf;
        this.filter = new PerfFilter(perf, filterConfig);
        this.endpoints = new PerfEndpointsServlet(perf, endpointsConfig, filter);
        filter.serveEndpoints(endpoints);
        this.server = new Server();
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(httpConfiguration()));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler ctx = new ServletContextHandler();
        ctx.setContextPath("/");
        ctx.getServletHandler().setDecodeAmbiguousURIs(true);
        ctx.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
        ServletHolder endpointsHolder = new ServletHolder(endpoints);
        endpointsHolder.setAsyncSupported(true);
        ctx.addServlet(endpointsHolder, endpointsConfig.basePath() + "/*");
        ServletHolder app = new ServletHolder(new App());
        app.setAsyncSupported(true);
        ctx.addServlet(app, "/*");
        server.setHandler(ctx);
        server.start();
        this.port = connector.getLocalPort();
    }

    /**
     * Jetty 12's default URI compliance answers 400 (and closes the connection) for ambiguous paths
     * ({@code //perf}, {@code /perf//ping}, {@code /x/..;/perf}, {@code %2F}) before any filter runs; allowing them
     * lets those path tricks reach Perfkit, whose canonical routing must give them the plain path's answer.
     */
    static HttpConfiguration httpConfiguration() {
        HttpConfiguration http = new HttpConfiguration();
        http.setUriCompliance(UriCompliance.from(UriCompliance.AMBIGUOUS_VIOLATIONS));
        return http;
    }

    MeterRegistry registry() {
        return perf.registry();
    }

    HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).method(method, HttpRequest.BodyPublishers.ofString(body)).build();
        return client.send(r, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws Exception {
        block.countDown();
        server.stop();
        perf.close();
    }

    /** The application behind the filter. */
    final class App extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
            String path = req.getRequestURI();
            res.setContentType("text/plain; charset=utf-8");
            if (path.startsWith("/users/")) {
                try (Scope db = perf.tracker().start("db.query")) {
                    res.getWriter().write("user " + path.substring(7) + " é");
                }
            } else if (path.startsWith("/framework/")) {
                req.setAttribute(PATTERN_ATTRIBUTE, "/framework/{name}");
                res.getOutputStream().write("framework".getBytes(StandardCharsets.UTF_8));
            } else if (path.equals("/boom")) {
                throw new IllegalStateException("boom");
            } else if (path.equals("/mdc")) {
                res.getWriter().write(String.valueOf(MDC.get("requestId")));
            } else if (path.equals("/upload")) {
                byte[] body = req.getInputStream().readAllBytes();
                res.getWriter().write("got " + body.length);
            } else if (path.equals("/slow")) {
                try (Scope s = perf.tracker().start("slow.step")) {
                    sleep(150);
                }
                res.getWriter().write("slow");
            } else if (path.equals("/block")) {
                blocked.countDown();
                try {
                    block.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                res.getWriter().write("released");
            } else if (path.equals("/async")) {
                AsyncContext ac = req.startAsync();
                ac.setTimeout(10_000);
                Object id = req.getAttribute(PerfFilter.REQUEST_ID_ATTRIBUTE);
                new Thread(() -> {
                    sleep(300);
                    try {
                        ac.getResponse().getWriter().write("async " + id);
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                    ac.complete();
                }, "test-async").start();
            } else if (path.equals("/missing")) {
                res.sendError(404);
            } else {
                res.getWriter().write("hello");
            }
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

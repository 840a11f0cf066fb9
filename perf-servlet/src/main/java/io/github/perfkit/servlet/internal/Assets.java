package io.github.perfkit.servlet.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's static files, served from the jar. Only the fixed list below can be served: a
 * request path is looked up in that list and never turned into a resource name, so no directory
 * can be listed and no path can reach another resource. Thread-safe (immutable list, concurrent
 * cache of loaded bytes).
 */
public final class Assets {

    private static final Logger LOG = LoggerFactory.getLogger(Assets.class);
    /** Version of the uPlot WebJar the dashboard loads (the root pom's {@code uplot.version}). */
    public static final String UPLOT_VERSION = "1.6.30";
    private static final String PAGE = "META-INF/resources/perfkit/";
    private static final String UPLOT = "META-INF/resources/webjars/uplot/" + UPLOT_VERSION + "/dist/";

    /**
     * One servable file.
     *
     * @param resource the class-path resource name
     * @param contentType the {@code Content-Type} it is served with
     * @param page whether it is the HTML page (served with the page's CSP)
     */
    public record Asset(String resource, String contentType, boolean page) {}

    private static final Map<String, Asset> ASSETS = Map.of(
            "/", new Asset(PAGE + "index.html", "text/html; charset=utf-8", true),
            "/index.html", new Asset(PAGE + "index.html", "text/html; charset=utf-8", true),
            "/dashboard.js", new Asset(PAGE + "dashboard.js", "text/javascript; charset=utf-8", false),
            "/dashboard.css", new Asset(PAGE + "dashboard.css", "text/css; charset=utf-8", false),
            "/vendor/uplot.iife.min.js", new Asset(UPLOT + "uPlot.iife.min.js", "text/javascript; charset=utf-8", false),
            "/vendor/uplot.min.css", new Asset(UPLOT + "uPlot.min.css", "text/css; charset=utf-8", false),
            "/profiling.html", new Asset(PAGE + "profiling.html", "text/html; charset=utf-8", true),
            "/profiling.js", new Asset(PAGE + "profiling.js", "text/javascript; charset=utf-8", false),
            "/profiling.css", new Asset(PAGE + "profiling.css", "text/css; charset=utf-8", false));

    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    /**
     * The asset for a canonical path below the base path.
     *
     * @param path the canonical path, e.g. {@code /dashboard.js}
     * @return the asset, or null when the path names none
     */
    public static @Nullable Asset find(String path) {
        return ASSETS.get(path);
    }

    /**
     * The bytes of an asset, loaded once from the class path.
     *
     * @param asset the asset
     * @return the bytes, or null when the resource is missing from the class path (logged)
     */
    public byte @Nullable [] bytes(Asset asset) {
        byte[] cached = cache.get(asset.resource());
        if (cached != null) {
            return cached;
        }
        try (InputStream in = Assets.class.getClassLoader().getResourceAsStream(asset.resource())) {
            if (in == null) {
                LOG.warn("Perfkit: dashboard resource {} is missing from the class path", asset.resource());
                return null;
            }
            byte[] b = in.readAllBytes();
            cache.put(asset.resource(), b);
            return b;
        } catch (IOException e) {
            LOG.warn("Perfkit: reading dashboard resource {} failed", asset.resource(), e);
            return null;
        }
    }
}

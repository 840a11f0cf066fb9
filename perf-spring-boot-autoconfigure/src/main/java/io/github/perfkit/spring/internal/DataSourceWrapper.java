package io.github.perfkit.spring.internal;

import io.github.perfkit.core.Perf;
import io.github.perfkit.core.jdbc.JdbcConfig;
import io.github.perfkit.core.jdbc.PerfDataSource;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.Ordered;

/**
 * Replaces each {@link DataSource} bean by a {@link PerfDataSource} over it, once the bean is initialised.
 * When no unique {@link Perf} bean exists, or wrapping fails, the data source is left unwrapped (logged).
 *
 * <p>Thread-safe: stateless apart from the hub provider.
 */
public final class DataSourceWrapper implements BeanPostProcessor, Ordered {

    private static final Logger LOG = LoggerFactory.getLogger(DataSourceWrapper.class);

    private final ObjectProvider<Perf> perf;

    /**
     * A wrapper using the hub from {@code perf}.
     *
     * @param perf provider of the hub
     */
    public DataSourceWrapper(ObjectProvider<Perf> perf) {
        this.perf = Objects.requireNonNull(perf, "perf");
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (!(bean instanceof DataSource dataSource) || bean instanceof PerfDataSource) {
            return bean;
        }
        try {
            Perf hub = perf.getIfUnique();
            if (hub == null) {
                LOG.warn("Perfkit: no unique Perf bean; the data source '{}' is not monitored", beanName);
                return bean;
            }
            PerfDataSource wrapped = PerfDataSource.wrap(dataSource, hub, JdbcConfig.builder().name(beanName).build());
            try {
                hub.health().register("jdbc." + beanName, wrapped.healthCheck());
            } catch (IllegalArgumentException | IllegalStateException e) {
                LOG.warn("Perfkit: cannot register the health check of the data source '{}'", beanName, e);
            }
            try {
                // Statement shapes, slow statements, N+1 and connection use: the dashboard's JDBC panel, /perf/api/jdbc.
                if (!hub.statusSections().containsKey(wrapped.statusContributor().name())) {
                    hub.register(wrapped.statusContributor());
                }
            } catch (IllegalArgumentException | IllegalStateException e) {
                LOG.warn("Perfkit: cannot register the status section of the data source '{}'", beanName, e);
            }
            LOG.debug("Perfkit: monitoring the data source '{}'", beanName);
            return wrapped;
        } catch (RuntimeException e) {
            LOG.warn("Perfkit: cannot monitor the data source '{}'; it is used unwrapped", beanName, e);
            return bean;
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}

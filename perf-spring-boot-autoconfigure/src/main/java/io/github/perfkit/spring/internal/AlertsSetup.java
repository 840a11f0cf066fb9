package io.github.perfkit.spring.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.perfkit.alerts.AlertRule;
import io.github.perfkit.alerts.Notifier;
import io.github.perfkit.alerts.config.RuleLoader;
import io.github.perfkit.alerts.notify.EmailNotifier;
import io.github.perfkit.alerts.notify.LogNotifier;
import io.github.perfkit.alerts.notify.WebhookNotifier;
import io.github.perfkit.spring.PerfkitProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

/**
 * Builds the alert engine's rules and notifiers from {@code perfkit.alerts.*}. Every wrong value raises an
 * {@link IllegalArgumentException} whose message starts with the property at fault; the email password never
 * appears in a message. Thread-safe: stateless.
 */
public final class AlertsSetup {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AlertsSetup() {}

    /**
     * The rules: the default set (unless {@code default-rules=false}), overridden by name by the rule file, then by
     * the inline rules.
     *
     * @param alerts the alerts properties
     * @param resources resolves {@code rules-file}
     * @return the rules
     * @throws IllegalArgumentException naming the property of a missing file or an invalid rule
     */
    public static List<AlertRule> rules(PerfkitProperties.Alerts alerts, ResourceLoader resources) {
        List<AlertRule> rules = alerts.isDefaultRules()
                ? RuleLoader.defaults() : List.of();
        String file = alerts.getRulesFile();
        if (file != null) {
            Resource resource = resources.getResource(file);
            if (!resource.exists()) {
                throw new IllegalArgumentException("perfkit.alerts.rules-file: " + file + " does not exist");
            }
            String text;
            try {
                text = resource.getContentAsString(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("perfkit.alerts.rules-file: cannot read " + file, e);
            }
            try {
                rules = RuleLoader.override(rules, text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("perfkit.alerts.rules-file (" + file + "): " + e.getMessage(), e);
            }
        }
        List<PerfkitProperties.InlineRule> inline = alerts.getRules();
        for (int i = 0; i < inline.size(); i++) {
            String property = "perfkit.alerts.rules[" + i + "]";
            PerfkitProperties.InlineRule rule = inline.get(i);
            if (rule.getName() == null || rule.getName().isBlank()) {
                throw new IllegalArgumentException(property + ".name must be set");
            }
            try {
                rules = RuleLoader.override(rules, json(rule));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(property + ": " + e.getMessage(), e);
            }
        }
        return rules;
    }

    private static String json(PerfkitProperties.InlineRule rule) {
        ObjectNode r = JSON.createObjectNode();
        r.put("name", rule.getName());
        r.put("type", "threshold");
        if (!rule.isEnabled()) {
            r.put("enabled", false);
        }
        putIfSet(r, "metric", rule.getMetric());
        r.put("comparison", rule.getComparison());
        if (rule.getThreshold() != null) {
            r.put("threshold", rule.getThreshold());
        }
        if (rule.getResolveThreshold() != null) {
            r.put("resolveThreshold", rule.getResolveThreshold());
        }
        putIfSet(r, "aggregation", rule.getAggregation());
        putIfSet(r, "window", rule.getWindow());
        putIfSet(r, "for", rule.getForDuration());
        putIfSet(r, "level", rule.getLevel());
        if (!rule.getTags().isEmpty()) {
            ObjectNode tags = r.putObject("tags");
            rule.getTags().forEach(tags::put);
        }
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("rules");
        list.add(r);
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write rule " + rule.getName(), e);
        }
    }

    private static void putIfSet(ObjectNode node, String field, String value) {
        if (value != null && !value.isBlank()) {
            node.put(field, value.trim());
        }
    }

    /**
     * The notifiers: log (unless switched off), webhook when a URL is set, email when a host is set.
     *
     * @param notifiers the notifier properties
     * @return the notifiers
     * @throws IllegalArgumentException naming the property of a wrong value
     */
    public static List<Notifier> notifiers(PerfkitProperties.Notifiers notifiers) {
        List<Notifier> out = new ArrayList<>();
        if (notifiers.getLog().isEnabled()) {
            out.add(new LogNotifier());
        }
        PerfkitProperties.Webhook webhook = notifiers.getWebhook();
        if (webhook.getUrl() != null) {
            out.add(webhook(webhook));
        }
        PerfkitProperties.Email email = notifiers.getEmail();
        if (email.getHost() != null) {
            out.add(email(email));
        }
        return out;
    }

    private static WebhookNotifier webhook(PerfkitProperties.Webhook webhook) {
        String prefix = "perfkit.alerts.notifiers.webhook";
        URI uri;
        try {
            uri = new URI(webhook.getUrl());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(prefix + ".url is not a URI: " + e.getMessage(), e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException(prefix + ".url must be an http or https URL with a host");
        }
        try {
            WebhookNotifier.Builder b = WebhookNotifier.builder(uri)
                    .format(webhook.getFormat().equals("slack") ? WebhookNotifier.Format.SLACK
                            : WebhookNotifier.Format.JSON)
                    .allowPrivateTargets(webhook.isAllowPrivateTargets());
            for (Map.Entry<String, String> h : webhook.getHeaders().entrySet()) {
                b.header(h.getKey(), h.getValue());
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(prefix + ".*: " + e.getMessage(), e);
        }
    }

    private static EmailNotifier email(PerfkitProperties.Email email) {
        String prefix = "perfkit.alerts.notifiers.email";
        if (email.getFrom() == null || email.getFrom().isBlank()) {
            throw new IllegalArgumentException(prefix + ".from must be set when " + prefix + ".host is set");
        }
        if (email.getTo().isEmpty()) {
            throw new IllegalArgumentException(prefix + ".to must name a recipient when " + prefix + ".host is set");
        }
        boolean user = email.getUsername() != null && !email.getUsername().isBlank();
        boolean password = email.getPassword() != null && !email.getPassword().isEmpty();
        if (user != password) {
            throw new IllegalArgumentException(prefix + ".username and " + prefix + ".password go together");
        }
        EmailNotifier.Builder b;
        try {
            b = EmailNotifier.builder(email.getHost(), email.getPort());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(prefix + ".host/port: " + e.getMessage(), e);
        }
        try {
            b.from(email.getFrom().trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(prefix + ".from: " + e.getMessage(), e);
        }
        try {
            email.getTo().forEach(t -> b.to(t.trim()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(prefix + ".to: " + e.getMessage(), e);
        }
        if (user) {
            try {
                b.credentials(email.getUsername(), email.getPassword());
            } catch (IllegalArgumentException e) {
                // The builder's messages name the field, never the value; keep the cause out: it is the same text.
                throw new IllegalArgumentException(prefix + ".username/password: " + e.getMessage());
            }
        }
        try {
            return b.requireStartTls(email.isRequireStartTls()).subjectPrefix(email.getSubjectPrefix()).build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(prefix + ".*: " + e.getMessage(), e);
        }
    }
}

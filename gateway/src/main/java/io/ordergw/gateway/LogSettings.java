package io.ordergw.gateway;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import io.ordergw.config.ConfigError;
import io.ordergw.config.OrderGwConfig;
import io.ordergw.config.Settings;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/**
 * Applies the {@code ordergw.log} settings (level, log file, audit file) to logback once the configuration is
 * loaded. logback starts before the configuration is read, from logback.xml and system properties alone, so a
 * setting that came from the config file (or the environment) is handed to logback as a context property and
 * logback's configuration is read again. Nothing is reconfigured when every setting has its default, so a logback.xml
 * of the operator's own ({@code -Dlogback.configurationFile}) is left alone unless these settings are used.
 */
public final class LogSettings
{
    /** Levels {@code ordergw.log.level} takes. */
    static final String[] LEVELS = {"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF"};

    /** The settings' names, also the properties logback.xml reads. */
    static final String LEVEL = "ordergw.log.level";
    static final String FILE = "ordergw.log.file";
    static final String AUDIT_FILE = "ordergw.log.audit-file";

    private LogSettings()
    {
    }

    /**
     * Validate the log settings and hand them to logback.
     *
     * @param config the loaded configuration.
     * @throws ConfigError naming a bad setting, or if logback cannot read its configuration with them.
     */
    public static void apply(final OrderGwConfig config)
    {
        final Settings log = new Settings(config.raw, "ordergw").section("log");
        final String level = log.oneOf("level", LEVELS);
        final String file = log.optionalString("file").trim();
        final String auditFile = log.optionalString("audit-file").trim();
        if ("INFO".equals(level) && file.isEmpty() && auditFile.isEmpty())
        {
            return;
        }
        final ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext))
        {
            return; // another slf4j backend: it has its own configuration
        }
        final LoggerContext context = (LoggerContext)factory;
        context.reset();
        context.getStatusManager().clear();
        context.putProperty(LEVEL, level.toLowerCase(Locale.ROOT));
        if (!file.isEmpty())
        {
            context.putProperty(FILE, file);
        }
        if (!auditFile.isEmpty())
        {
            context.putProperty(AUDIT_FILE, auditFile);
        }
        try
        {
            // The same search as at start: -Dlogback.configurationFile, else logback-test.xml or logback.xml.
            new ContextInitializer(context).autoConfig();
        }
        catch (final JoranException ex)
        {
            throw new ConfigError("ordergw.log: logback cannot read its configuration: " + ex.getMessage(), ex);
        }
        // logback reports a file it cannot open as a status and carries on: refuse to start without the log asked for.
        for (final Status status : context.getStatusManager().getCopyOfStatusList())
        {
            if (status.getEffectiveLevel() >= Status.ERROR)
            {
                final String setting = file.isEmpty() ? AUDIT_FILE :
                    auditFile.isEmpty() ? FILE : FILE + " or " + AUDIT_FILE;
                throw new ConfigError(setting, "cannot be written: " + rootCause(status));
            }
        }
    }

    private static String rootCause(final Status status)
    {
        Throwable cause = status.getThrowable();
        if (cause == null)
        {
            return status.getMessage();
        }
        while (cause.getCause() != null)
        {
            cause = cause.getCause();
        }
        return cause.toString();
    }
}

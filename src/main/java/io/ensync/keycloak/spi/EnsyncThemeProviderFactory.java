package io.ensync.keycloak.spi;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.theme.ClassLoaderTheme;
import org.keycloak.theme.Theme;
import org.keycloak.theme.ThemeProvider;
import org.keycloak.theme.ThemeProviderFactory;

import java.io.IOException;
import java.util.Set;

/**
 * Offers the admin theme {@code ensync} (the stock admin console rebuilt with EnSync's pages, src/main/admin-console)
 * only on the Keycloak minor its {@code @keycloak/keycloak-admin-ui} comes from: on another minor it would be a
 * console of another version against this server's admin API. There Keycloak falls back to its stock console for a
 * realm whose admin theme is {@code ensync} (and does not list the theme), and {@link Compatibility} says so at start.
 * The portal theme ({@code ensync-portal}, FreeMarker only) is version-neutral and registered by
 * META-INF/keycloak-themes.json. Its {@link #postInit} also writes the extension's start-up line.
 */
public class EnsyncThemeProviderFactory implements ThemeProviderFactory {

    public static final String ID = "ensync-admin-theme";
    static final String ADMIN_THEME = "ensync";

    private volatile boolean offered;

    @Override
    public ThemeProvider create(KeycloakSession session) {
        ClassLoader classLoader = EnsyncThemeProviderFactory.class.getClassLoader();
        boolean on = offered;
        return new ThemeProvider() {
            @Override
            public int getProviderPriority() {
                return 0;
            }

            @Override
            public Theme getTheme(String name, Theme.Type type) throws IOException {
                return hasTheme(name, type) ? new ClassLoaderTheme(ADMIN_THEME, Theme.Type.ADMIN, classLoader) : null;
            }

            @Override
            public Set<String> nameSet(Theme.Type type) {
                return on && type == Theme.Type.ADMIN ? Set.of(ADMIN_THEME) : Set.of();
            }

            @Override
            public boolean hasTheme(String name, Theme.Type type) {
                return on && type == Theme.Type.ADMIN && ADMIN_THEME.equals(name);
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void init(Config.Scope config) {
        offered = Compatibility.adminConsoleFits();
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        Compatibility.logStartup();
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return ID;
    }
}

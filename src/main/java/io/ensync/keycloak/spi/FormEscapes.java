package io.ensync.keycloak.spi;

import io.ensync.keycloak.common.ApiResponses;
import io.ensync.keycloak.common.ErrorCode;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;

/**
 * A form body ({@code application/x-www-form-urlencoded}) to the extension's paths with a broken {@code %}-escape
 * ({@code csrf=…&%}): the form-body handler Keycloak puts in front of every POST, PUT and PATCH fails to decode it, a
 * 500 before the extension's method runs. Refused here with 400 {@code invalid_form}; any other body is handed on
 * unchanged, and the handler parses it as before.
 * <p>
 * A post-matching filter: it runs on the worker thread, where reading the body is allowed (a pre-matching one runs on
 * the event loop and may not read it), and for the extension's own methods before that handler. Unlike
 * {@link EarlyRefusals} it does not run before the sub-resource locators (AdminRoot's authentication among them).
 */
@Provider
public final class FormEscapes implements ContainerRequestFilter {

    /** More than any form of the extension takes (the API's body limit). */
    private static final int MAX_CHECKED = 64 * 1024 + 1;

    @Override
    public void filter(ContainerRequestContext request) {
        MediaType type = EarlyRefusals.bodyType(request);
        if (type != null && type.isCompatible(MediaType.APPLICATION_FORM_URLENCODED_TYPE) && EarlyRefusals.ownPath(request).find()
                && brokenEscape(request)) {
            request.abortWith(ApiResponses.error(ErrorCode.INVALID_FORM, "The form body is not URL-encoded: every '%' must be followed by two hexadecimal digits.", null));
        }
    }

    /** Whether the form body holds a '%' without two hex digits after it; the body is handed on as it was. */
    private static boolean brokenEscape(ContainerRequestContext request) {
        InputStream rest = request.getEntityStream();
        byte[] read;
        try {
            read = rest.readNBytes(MAX_CHECKED);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        boolean whole = read.length < MAX_CHECKED;
        request.setEntityStream(whole ? new ByteArrayInputStream(read) : new SequenceInputStream(new ByteArrayInputStream(read), rest));
        if (!whole) {
            return false;   // too large for any form of the extension: its limit answers it
        }
        for (int i = 0; i < read.length; i++) {
            if (read[i] == '%' && (i + 2 >= read.length || Character.digit(read[i + 1], 16) < 0 || Character.digit(read[i + 2], 16) < 0)) {
                return true;
            }
        }
        return false;
    }
}

<#ftl output_format="HTML">
<html lang="${lang}"><body style="font-family: sans-serif; line-height: 1.45;">
<p>${msg.accessRequestDeniedIntro}</p>
<p>${msg.integration}: <strong>${integrationName}</strong><br>${msg.application}: <strong>${appName}</strong></p>
<#if url??><p>${msg.accessRequestDeniedAction} ${hours}</p>
<p><a href="${url}">${url}</a></p>
</#if><#if reason??><p>${msg.accessRequestDeniedReason}</p>
<blockquote>${reason}</blockquote>
</#if><p style="color: #5b6475; font-size: .85em;">${msg.signature?replace("{0}", realmName)}</p>
</body></html>

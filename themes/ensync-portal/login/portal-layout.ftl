<#ftl output_format="HTML">
<#-- The page frame of every portal page. Every value is auto-escaped (HTML output format); nothing here uses ?no_esc. -->
<#macro page title>
<!DOCTYPE html>
<html lang="${lang!"en"}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="referrer" content="no-referrer">
  <title>${title} · ${msg.portalName}</title>
  <link rel="stylesheet" href="${resourcesUrl}/css/portal.css">
  <#if color??><style nonce="${nonce}">:root { --accent: ${color}; }</style></#if>
  <script src="${resourcesUrl}/js/portal.js" defer></script>
</head>
<body>
<header class="bar">
  <div class="brand">
    <#if icon??><img class="icon" src="${icon}" alt="" width="32" height="32" referrerpolicy="no-referrer"><#else><span class="icon placeholder" aria-hidden="true"></span></#if>
    <div>
      <div class="app" data-testid="app-name"><#if appName?? && appName?has_content>${appName}<#else>${msg.portalName}</#if></div>
      <#if integrationName??><div class="by">${msg[byKey!"invitedBy"]} <span data-testid="integration-name">${integrationName}</span></div></#if>
    </div>
  </div>
  <#if signedIn?? && signedIn>
  <nav>
    <a href="${portalUrl}/environments">${msg.navEnvironments}</a>
    <a href="${portalUrl}/events">${msg.navEvents}</a>
    <a href="${portalUrl}/history">${msg.navHistory}</a>
    <form method="post" action="${portalUrl}/logout" class="inline">
      <input type="hidden" name="csrf" value="${csrf}">
      <button type="submit" class="link">${msg.signOut}</button>
    </form>
  </nav>
  </#if>
</header>
<main>
<#nested>
</main>
</body>
</html>
</#macro>

<#macro secret id value>
<div class="secret-row">
  <code id="${id}" class="secret" data-testid="${id}">${value}</code>
  <button type="button" class="copy" data-copy="${id}" data-copied="${msg.copied}">${msg.copy}</button>
</div>
</#macro>

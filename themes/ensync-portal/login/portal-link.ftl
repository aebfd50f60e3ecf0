<#ftl output_format="HTML">
<#import "portal-layout.ftl" as layout>
<@layout.page title=(appName?has_content)?then(appName, msg.portalName)>
<section class="card">
  <p class="muted">${msg.invitedBy}</p>
  <h1 data-testid="inviter">${integrationName}</h1>
  <#if appName?has_content>
  <p>${msg.invitedApp}: <strong data-testid="invited-app">${appName}</strong></p>
  </#if>
  <#if appDescription?has_content><p class="muted">${appDescription}</p></#if>
  <p><#if reentry>${msg.reentryIntro}<#else>${msg.linkIntro}</#if></p>
  <form method="post" action="${formAction}">
    <input type="hidden" name="csrf" value="${startToken}">
    <button type="submit" class="primary" data-testid="start"><#if reentry>${msg.startReentry}<#else>${msg.startOnboarding}</#if></button>
  </form>
</section>
</@layout.page>

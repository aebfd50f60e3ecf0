<#ftl output_format="HTML">
<#import "portal-layout.ftl" as layout>
<@layout.page title=msg.historyTitle>
<section class="card">
  <h1>${msg.historyTitle}</h1>
  <#if !auditStored>
  <p class="warning" data-testid="audit-not-stored">${msg.auditNotStored}</p>
  <#else>
  <p class="muted">${msg.historyIntro}</p>
  <#if entries?has_content>
  <div class="table-wrap">
  <table data-testid="history">
    <thead><tr><th>${msg.time}</th><th>${msg.what}</th><th>${msg.details}</th><th>${msg.by}</th></tr></thead>
    <tbody>
    <#list entries as e>
      <tr><td>${e.time}</td><td>${e.resourceType} ${e.operation}</td><td>${e.details}</td><td>${e.principal}</td></tr>
    </#list>
    </tbody>
  </table>
  </div>
  <#else>
  <p>${msg.noHistory}</p>
  </#if>
  <p class="pager">
    <#if hasPrevious><a href="${portalUrl}/history?first=${previousFirst?c}&max=${max?c}">${msg.newer}</a></#if>
    <#if hasNext><a href="${portalUrl}/history?first=${nextFirst?c}&max=${max?c}" data-testid="older">${msg.older}</a></#if>
  </p>
  </#if>
</section>
<section class="card">
  <h2>${msg.failuresTitle}</h2>
  <#if !loginEventsStored>
  <p class="warning" data-testid="login-events-not-stored">${msg.loginEventsNotStored}</p>
  <#elseif failures?has_content>
  <p class="muted">${msg.failuresIntro}</p>
  <div class="table-wrap">
  <table data-testid="failures">
    <thead><tr><th>${msg.time}</th><th>${msg.environment}</th><th>${msg.clientId}</th><th>${msg.error}</th><th>${msg.ipAddress}</th></tr></thead>
    <tbody>
    <#list failures as f>
      <tr><td>${f.time}</td><td>${f.environment}</td><td>${f.clientId}</td><td>${f.error}</td><td>${f.ipAddress}</td></tr>
    </#list>
    </tbody>
  </table>
  </div>
  <#else>
  <p data-testid="no-failures">${msg.noFailures}</p>
  </#if>
</section>
</@layout.page>

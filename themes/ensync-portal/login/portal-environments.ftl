<#ftl output_format="HTML">
<#import "portal-layout.ftl" as layout>
<@layout.page title=msg.environmentsTitle>
<#if rotated??>
<section class="card highlight" data-testid="rotated">
  <h2>${msg.rotatedTitle}: ${rotated.environment}</h2>
  <p class="warning" role="alert">${msg.rotatedWarning}</p>
  <dl>
    <dt>${msg.clientId}</dt><dd><code>${rotated.clientId}</code></dd>
    <dt>${msg.clientSecret}</dt><dd><@layout.secret id="rotated-secret" value=rotated.clientSecret/></dd>
  </dl>
  <p data-testid="rotated-previous"><#if rotated.previousSecretValidUntil??>${msg.rotatedPreviousValid} ${rotated.previousSecretValidUntil}.<#else>${msg.rotatedPreviousRevoked}</#if></p>
</section>
</#if>
<section class="card">
  <h1>${msg.environmentsTitle}</h1>
  <p class="muted">${msg.graceNote} ${graceSeconds?c} ${msg.seconds}.</p>
  <div class="envs">
  <#list environments as env>
  <article class="env" data-testid="env-${env.name}">
    <h2>${env.name} <#if env.enabled><span class="badge ok" data-testid="status-${env.name}">${msg.enabled}</span><#else><span class="badge off" data-testid="status-${env.name}">${msg.disabledUntilPromotion}</span></#if></h2>
    <dl>
      <dt>${msg.clientId}</dt><dd><code data-testid="client-id-${env.name}">${env.clientId}</code></dd>
      <dt>${msg.tokenUrl}</dt><dd><code class="wrap">${env.tokenUrl}</code></dd>
      <dt>${msg.secretCreated}</dt><dd>${env.secretCreatedAt!"-"}<#if env.secretAgeDays??> (${msg.secretAge}: ${env.secretAgeDays?c} ${msg.days})</#if></dd>
      <dt>${msg.secretExpires}</dt><dd><#if env.secretExpiresAt??>${env.secretExpiresAt}<#if env.secretExpiresSoon> <span class="badge warn" data-testid="expires-soon-${env.name}">${msg.expiresSoon}</span></#if><#else>${msg.noExpiry}</#if></dd>
      <#if env.previousSecretValidUntil??><dt>${msg.previousValidUntil}</dt><dd data-testid="previous-${env.name}">${env.previousSecretValidUntil}</dd></#if>
    </dl>
    <form method="post" action="${portalUrl}/environments/${env.name}/secret" class="rotate">
      <input type="hidden" name="csrf" value="${csrf}">
      <#if graceAvailable>
      <label><input type="checkbox" name="revokePrevious" value="true" data-testid="revoke-${env.name}"> ${msg.revokePrevious}</label>
      <#else>
      <input type="hidden" name="revokePrevious" value="true">
      <p class="note" data-testid="no-grace-${env.name}">${msg.noRotationGrace}</p>
      </#if>
      <button type="submit" data-testid="rotate-${env.name}">${msg.rotate}</button>
    </form>
  </article>
  </#list>
  </div>
</section>
</@layout.page>

<#ftl output_format="HTML">
<#import "portal-layout.ftl" as layout>
<@layout.page title=msg.onboardedTitle>
<section class="card">
  <h1>${msg.onboardedTitle}</h1>
  <p class="warning" role="alert">${msg.onboardedWarning}</p>
  <#list credentials as env>
  <div class="env" data-testid="credentials-${env.name}">
    <h2>${env.name} <#if env.enabled><span class="badge ok">${msg.enabled}</span><#else><span class="badge off">${msg.disabledUntilPromotion}</span></#if></h2>
    <dl>
      <dt>${msg.clientId}</dt><dd><code data-testid="client-id-${env.name}">${env.clientId}</code></dd>
      <dt>${msg.tokenUrl}</dt><dd><code class="wrap" data-testid="token-url-${env.name}">${env.tokenUrl}</code></dd>
      <dt>${msg.clientSecret}</dt><dd><@layout.secret id="secret-" + env.name value=env.clientSecret/></dd>
    </dl>
  </div>
  </#list>
  <p><a class="button primary" href="${portalUrl}/environments" data-testid="continue">${msg.continueToEnvironments}</a></p>
</section>
</@layout.page>

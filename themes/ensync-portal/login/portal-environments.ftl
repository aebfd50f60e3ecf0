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
  <p data-testid="rotated-previous"><#if rotated.keysRemoved??>${msg.keysRemovedNote}<#elseif rotated.previousSecretValidUntil??>${msg.rotatedPreviousValid} ${rotated.previousSecretValidUntil}.<#else>${msg.rotatedPreviousRevoked}</#if></p>
</section>
</#if>
<#if keysRegistered??>
<section class="card highlight" data-testid="keys-registered" role="status">
  <p>${msg.keysRegisteredNote} ${keysRegistered}.</p>
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
      <dt>${msg.authMethod}</dt><dd data-testid="auth-method-${env.name}"><#if env.authMethod == "private_key_jwt">${msg.authMethodKeys}<#else>${msg.authMethodSecret}</#if> (<code>${env.authMethod}</code>)</dd>
      <#if env.authMethod == "private_key_jwt">
      <dt>${msg.keys}</dt><dd><ul class="keys" data-testid="keys-${env.name}"><#list env.keys as key><li data-testid="key-${env.name}-${key?index}"><code>${key.kid}</code> ${key.kty} ${key.alg} (${key.detail})</li><#else><li>${msg.keysFromUrl}</li></#list></ul></dd>
      <#else>
      <dt>${msg.secretCreated}</dt><dd>${env.secretCreatedAt!"-"}<#if env.secretAgeDays??> (${msg.secretAge}: ${env.secretAgeDays?c} ${msg.days})</#if></dd>
      <dt>${msg.secretExpires}</dt><dd><#if env.secretExpiresAt??>${env.secretExpiresAt}<#if env.secretExpiresSoon> <span class="badge warn" data-testid="expires-soon-${env.name}">${msg.expiresSoon}</span></#if><#else>${msg.noExpiry}</#if></dd>
      <#if env.previousSecretValidUntil??><dt>${msg.previousValidUntil}</dt><dd data-testid="previous-${env.name}">${env.previousSecretValidUntil}</dd></#if>
      </#if>
    </dl>
    <#if keysError?? && keysError.environment == env.name>
    <p class="warning" role="alert" data-testid="keys-error-${env.name}">${keysError.message}<#if keysError.field?has_content> (<code>${keysError.field}</code>)</#if></p>
    </#if>
    <#if env.authMethod == "private_key_jwt">
    <form method="post" action="${portalUrl}/environments/${env.name}/keys/remove" class="rotate">
      <input type="hidden" name="csrf" value="${csrf}">
      <p class="note">${msg.removeKeysNote}</p>
      <button type="submit" data-testid="remove-keys-${env.name}">${msg.removeKeys}</button>
    </form>
    <#else>
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
    </#if>
    <form method="post" action="${portalUrl}/environments/${env.name}/keys" class="keys-form">
      <input type="hidden" name="csrf" value="${csrf}">
      <label for="keys-input-${env.name}"><#if env.authMethod == "private_key_jwt">${msg.replaceKeysLabel}<#else>${msg.useKeysLabel}</#if></label>
      <textarea id="keys-input-${env.name}" name="keys" rows="4" spellcheck="false" data-testid="keys-input-${env.name}" placeholder="-----BEGIN PUBLIC KEY-----"></textarea>
      <p class="note">${msg.keysNote}</p>
      <button type="submit" data-testid="register-keys-${env.name}">${msg.registerKeys}</button>
    </form>
  </article>
  </#list>
  </div>
</section>
</@layout.page>

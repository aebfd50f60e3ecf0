<#ftl output_format="HTML">
<#import "portal-layout.ftl" as layout>
<@layout.page title=msg.joinTitle>
<section class="card">
  <p class="muted">${msg.joinBy}</p>
  <h1 data-testid="join-integration">${integrationName}</h1>
  <#if integrationDescription?has_content><p class="muted" data-testid="join-description">${integrationDescription}</p></#if>
  <p>${msg.joinIntro}</p>
  <#if errorMessage??>
  <div class="warning" role="alert" data-testid="join-error" data-field="${errorField}">${msg.joinCheckForm} <span class="muted">${errorMessage}</span></div>
  </#if>
  <form method="post" action="${formAction}" class="request" data-testid="join-form">
    <input type="hidden" name="csrf" value="${startToken}">
    <label>${msg.joinAppName}
      <input type="text" name="appName" value="${appNameValue}" maxlength="100" required autocomplete="organization" data-testid="join-app-name">
    </label>
    <label>${msg.joinAppDescription} <span class="muted small">${msg.optional}</span>
      <textarea name="appDescription" maxlength="1000" rows="3" data-testid="join-app-description">${appDescriptionValue}</textarea>
    </label>
    <label>${msg.joinContactEmail}
      <input type="email" name="contactEmail" value="${contactEmailValue}" maxlength="254" required autocomplete="email" inputmode="email" data-testid="join-contact-email">
    </label>
    <#list questions as q>
    <label>${q.label}<#if !q.required> <span class="muted small">${msg.optional}</span></#if>
      <input type="text" name="${q.name}" value="${q.value}" maxlength="500"<#if q.required> required</#if><#if q.error> aria-invalid="true"</#if> data-testid="join-${q.name}">
    </label>
    </#list>
    <p class="muted small">${msg.joinPrivacy}</p>
    <button type="submit" class="primary" data-testid="join-submit">${msg.joinSubmit}</button>
  </form>
</section>
</@layout.page>

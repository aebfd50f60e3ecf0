<#ftl output_format="HTML">
<#import "portal-layout.ftl" as layout>
<@layout.page title=msg.eventsTitle>
<#if outcome??>
<section class="card highlight" data-testid="outcome" data-kind="${outcome.kind}" data-status="${outcome.status}" role="status">
  <#if outcome.kind == "requested">
  <h2><#if outcome.status == "approved">${msg.requestApproved}<#else>${msg.requestPending}</#if></h2>
  <p><code>${outcome.topic}</code> (${outcome.scopes}) ${msg.inEnvironment} ${outcome.environment}.
    <#if outcome.status == "approved">${msg.requestApprovedText}<#else>${msg.requestPendingText}</#if></p>
  <#elseif outcome.kind == "withdrawn">
  <h2>${msg.grantWithdrawn}</h2>
  <p><code>${outcome.topic}</code> (${outcome.scopes}) ${msg.inEnvironment} ${outcome.environment}. ${msg.grantWithdrawnText}</p>
  <#else>
  <h2>${msg.promotionRequested}</h2>
  <p>${outcome.from} → ${outcome.to}. ${msg.promotionRequestedText}</p>
  </#if>
</section>
</#if>
<#if error??>
<section class="card error" data-testid="event-error" data-code="${error.code}" role="alert">
  <h2>${msg[error.textKey]}</h2>
  <p>${msg.nothingChanged}</p>
  <#if error.detail?has_content><p class="muted" data-testid="event-error-detail">${error.detail}</p></#if>
</section>
</#if>

<section class="card">
  <h1>${msg.eventsTitle}</h1>
  <p class="muted">${msg.catalogIntro}</p>
  <#if catalog?has_content>
  <div class="table-wrap">
  <table data-testid="catalog">
    <thead><tr><th>${msg.topicPattern}</th><th>${msg.scopeSend}</th><th>${msg.scopeReceive}</th><th>${msg.autoApprovedIn}</th></tr></thead>
    <tbody>
    <#list catalog as t>
      <tr><td><code>${t.pattern}</code></td><td>${t.send?then(msg.yes, msg.no)}</td><td>${t.receive?then(msg.yes, msg.no)}</td>
        <td><#if t.autoApprove?has_content>${t.autoApprove}<#else>${msg.adminDecides}</#if></td></tr>
    </#list>
    </tbody>
  </table>
  </div>
  <#else>
  <p data-testid="catalog-empty">${msg.catalogEmpty}</p>
  </#if>
</section>

<#if catalog?has_content>
<section class="card">
  <h2>${msg.requestTitle}</h2>
  <#if openEnvironments?has_content>
  <#assign typedScopes = (typed.scopes)![]>
  <form method="post" action="${portalUrl}/events/grants" class="request" data-testid="request-form">
    <input type="hidden" name="csrf" value="${csrf}">
    <label>${msg.topicOrPattern}
      <input type="text" name="topic" required maxlength="255" autocomplete="off" autocapitalize="off" spellcheck="false"
             placeholder="app/order/created" value="${(typed.topic)!""}" data-testid="request-topic">
    </label>
    <fieldset>
      <legend>${msg.scopes}</legend>
      <label><input type="checkbox" name="scope" value="send" data-testid="request-send"<#if typedScopes?seq_contains("send")> checked</#if>> ${msg.scopeSend}</label>
      <label><input type="checkbox" name="scope" value="receive" data-testid="request-receive"<#if typedScopes?seq_contains("receive")> checked</#if>> ${msg.scopeReceive}</label>
    </fieldset>
    <label>${msg.environment}
      <select name="environment" data-testid="request-environment">
        <#list openEnvironments as e><option value="${e}"<#if ((typed.environment)!"") == e> selected</#if>>${e}</option></#list>
      </select>
    </label>
    <button type="submit" class="primary" data-testid="request-submit">${msg.requestSubmit}</button>
  </form>
  <p class="muted">${msg.requestNote}</p>
  <#else>
  <p>${msg.noOpenEnvironment}</p>
  </#if>
</section>
</#if>

<section class="card">
  <h2>${msg.grantsTitle}</h2>
  <div class="envs">
  <#list environments as env>
  <article class="env" data-testid="grants-${env.name}">
    <h3>${env.name} <#if env.open><span class="badge ok">${msg.enabled}</span><#else><span class="badge off">${msg.disabledUntilPromotion}</span></#if></h3>
    <#if env.grants?has_content>
    <ul class="grants">
    <#list env.grants as g>
      <li data-testid="grant-${g.id}" data-topic="${g.topic}" data-status="${g.status}">
        <div class="grant-head"><code>${g.topic}</code> <span class="badge">${g.scopes}</span>
          <span class="badge status-${g.status}" data-testid="grant-status">${msg["grantStatus_" + g.status]}</span></div>
        <div class="muted small">${msg.requested} ${g.requestedAt}<#if g.decidedAt??> · ${msg.decided} ${g.decidedAt}</#if><#if g.reason?has_content> · ${g.reason}</#if></div>
        <#if g.active>
        <form method="post" action="${portalUrl}/events/grants/${g.id}/withdraw" class="inline">
          <input type="hidden" name="csrf" value="${csrf}">
          <button type="submit" data-testid="withdraw">${msg.withdraw}</button>
        </form>
        </#if>
      </li>
    </#list>
    </ul>
    <#else>
    <p class="muted" data-testid="no-grants-${env.name}">${msg.noGrants}</p>
    </#if>
    <#if env.next??>
    <div class="promotion" data-testid="promotion-${env.name}" data-state="${env.promotion}">
      <#if env.promotion == "available">
      <form method="post" action="${portalUrl}/events/promotion/${env.name}" class="inline">
        <input type="hidden" name="csrf" value="${csrf}">
        <button type="submit" data-testid="promote-${env.name}">${msg.requestPromotion} ${env.next}</button>
      </form>
      <#elseif env.promotion == "pending">
      <span class="badge status-pending">${msg.promotionPendingTo} ${env.next}</span>
      <#elseif env.promotion == "otherPending">
      <span class="muted">${msg.promotionOtherPending}</span>
      <#else>
      <span class="muted">${msg.promotionReached} ${env.next}</span>
      </#if>
    </div>
    </#if>
  </article>
  </#list>
  </div>
</section>

<section class="card">
  <h2>${msg.promotionsTitle}</h2>
  <#if promotions?has_content>
  <ul class="grants" data-testid="promotions">
  <#list promotions as p>
    <li data-testid="promotion-row" data-status="${p.status}">
      <div class="grant-head">${p.from} → ${p.to} <span class="badge status-${p.status}">${msg["grantStatus_" + p.status]}</span></div>
      <div class="muted small">${msg.requested} ${p.requestedAt}<#if p.decidedAt??> · ${msg.decided} ${p.decidedAt}</#if><#if p.reason?has_content> · ${p.reason}</#if></div>
      <div class="small" data-testid="promotion-grants">${msg.promotionCopies}: <#if p.grants?has_content><#list p.grants as g><code>${g}</code><#sep>, </#sep></#list><#else>${msg.promotionCopiesNothing}</#if></div>
    </li>
  </#list>
  </ul>
  <#else>
  <p class="muted" data-testid="no-promotions">${msg.noPromotions}</p>
  </#if>
</section>
</@layout.page>

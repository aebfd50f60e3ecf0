<#ftl output_format="HTML">
<#import "portal-layout.ftl" as layout>
<@layout.page title=msg[titleKey]>
<section class="card message" data-testid="message" data-status="${status?c}">
  <h1 data-testid="message-title">${msg[titleKey]}</h1>
  <p>${msg[textKey]}</p>
  <#if detail??><p class="muted">${detail}</p></#if>
</section>
</@layout.page>

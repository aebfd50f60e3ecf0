<#ftl output_format="HTML">
<#import "portal-layout.ftl" as layout>
<@layout.page title=msg.verifyTitle>
<section class="card">
  <h1>${msg.verifyTitle}</h1>
  <p>${msg.verifyIntro}</p>
  <p>${msg.joinAppName}: <strong data-testid="verify-app-name">${appName}</strong></p>
  <form method="post" action="${formAction}">
    <input type="hidden" name="csrf" value="${startToken}">
    <button type="submit" class="primary" data-testid="verify-confirm">${msg.verifyConfirm}</button>
  </form>
</section>
</@layout.page>

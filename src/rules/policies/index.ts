export * from './org-policies';
export * from './policy-rules';

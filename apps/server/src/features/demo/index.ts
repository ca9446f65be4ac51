export { pointDemoShopAtDemoCrm, startDemoShopCrm, type RunningDemoCrm } from './demo-crm.ts';

export { createFollowupJobSources } from './jobs.ts';
export { registerFollowupRoutes } from './routes.ts';
export { followupTools } from './tools.ts';
export { analyseConversation, type AnalysisInput, type AnalysisResult } from './analysis.ts';

export {
  getFunctionForCall,
  listCustomFunctions,
  listFunctionsForModel,
  planCustomFunctionChange,
  type CustomFunctionChange,
  type FunctionForCall,
} from './service.ts';
export { compileParametersSchema } from './parameters-schema.ts';
export { functionTools } from './tools.ts';

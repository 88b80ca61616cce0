import PasswordIcon from '@mui/icons-material/Password';
import { ApiKeyCreate } from './ApiKeyCreate';
import { ApiKeyList, ApiKeyShow } from './ApiKeyViews';

export default { list: ApiKeyList, show: ApiKeyShow, create: ApiKeyCreate, icon: PasswordIcon, recordRepresentation: 'name' };

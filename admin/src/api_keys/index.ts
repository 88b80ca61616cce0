import PasswordIcon from '@mui/icons-material/Password';
import { lazyViews } from '../common/lazyViews';

const apiKeyCreate = lazyViews(() => import('./ApiKeyCreate'));
const apiKeyViews = lazyViews(() => import('./ApiKeyViews'));

export default { list: apiKeyViews('ApiKeyList'), show: apiKeyViews('ApiKeyShow'), create: apiKeyCreate('ApiKeyCreate'), icon: PasswordIcon, recordRepresentation: 'name' };

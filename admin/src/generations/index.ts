import AutoAwesomeIcon from '@mui/icons-material/AutoAwesome';
import { lazyViews } from '../common/lazyViews';

const views = lazyViews(() => import('./GenerationViews'));

export default { list: views('GenerationList'), show: views('GenerationShow'), icon: AutoAwesomeIcon, recordRepresentation: 'gen_id' };
